// @vitest-environment jsdom
import { InMemoryCache } from '@apollo/client';
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { graphQLError } from '../../test/apollo-mocks';
import { apiKey, apiKeysMock, createApiKeyMock, deleteApiKeyMock, updateApiKeyMock } from './api-keys.mocks';
import { ApiKeysPage, sortApiKeys, UNREADABLE_LABEL } from './ApiKeysPage';
import { DUPLICATE_MESSAGE, KEY_GONE_MESSAGE } from './validation';

const PLAINTEXT = 'sk-live-4f9c2a7e1b3d5f60-plaintext-9876';

function renderPage(mocks: MockLink.MockedResponse[]) {
  const cache = new InMemoryCache();
  render(
    <MockedProvider mocks={mocks} cache={cache}>
      <ApiKeysPage />
    </MockedProvider>,
  );
  return { cache };
}

/** The inline error read out with a field (aria-describedby), or null. */
function fieldError(input: HTMLElement): string | null {
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('field-error'));
  return error?.textContent ?? null;
}

const addForm = () => within(screen.getByRole('form', { name: 'Add an API key' }));
function fillAddForm(values: { service?: string; name?: string; key?: string }) {
  const form = addForm();
  if (values.service !== undefined) fireEvent.change(form.getByLabelText('Service'), { target: { value: values.service } });
  if (values.name !== undefined) fireEvent.change(form.getByLabelText('Name'), { target: { value: values.name } });
  if (values.key !== undefined) fireEvent.change(form.getByLabelText('API key'), { target: { value: values.key } });
}

/** Everything a person (or a script in the page) could read back: the DOM and the Apollo cache. */
function expectNowhere(secret: string, cache: InMemoryCache) {
  expect(document.documentElement.outerHTML).not.toContain(secret);
  for (const input of document.querySelectorAll('input')) expect(input.value).not.toContain(secret);
  expect(JSON.stringify(cache.extract(true))).not.toContain(secret);
}

afterEach(cleanup);

describe('ApiKeysPage list', () => {
  it('shows each key with its hint only, its dates and an Unreadable badge', async () => {
    renderPage([
      apiKeysMock({
        data: [
          apiKey({ id: 'k_2', service: 'stripe', name: 'Billing', hint: 'abcd', status: 'UNREADABLE', lastUsedAt: '2026-11-22T08:00:00.000Z' }),
          apiKey(),
        ],
      }),
    ]);
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell')[0]?.textContent)).toEqual(['openai', 'stripe']);

    const [openai, stripe] = rows as [HTMLElement, HTMLElement];
    expect(within(openai).getByRole('rowheader').textContent).toBe('Production');
    expect(within(openai).getByText('••••wxyz')).toBeTruthy();
    expect(within(openai).getByText('Never')).toBeTruthy();
    expect(within(openai).queryByText(UNREADABLE_LABEL)).toBeNull();
    const created = openai.querySelector('time[datetime="2026-11-20T10:00:00.000Z"]');
    expect(created?.getAttribute('title')).toBeTruthy();
    expect(openai.querySelector('time[datetime="2026-11-21T10:00:00.000Z"]')).toBeTruthy();

    expect(within(stripe).getByText('••••abcd')).toBeTruthy();
    expect(within(stripe).getByText(UNREADABLE_LABEL)).toBeTruthy();
    expect(stripe.querySelector('time[datetime="2026-11-22T08:00:00.000Z"]')).toBeTruthy();
    expect(within(stripe).getByRole('group', { name: 'Actions for stripe · Billing' })).toBeTruthy();
  });

  it('shows the empty state when there are no keys', async () => {
    renderPage([apiKeysMock({ data: [] })]);
    expect(await screen.findByRole('heading', { name: 'No API keys yet' })).toBeTruthy();
  });

  it('explains a load failure and retries', async () => {
    renderPage([apiKeysMock({ networkError: new TypeError('Failed to fetch') }), apiKeysMock({ data: [apiKey()] })]);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not reach the server. Check your connection and try again.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('••••wxyz')).toBeTruthy();
  });

  it('sorts by service, then name', () => {
    const keys = [apiKey({ id: '1', service: 'b', name: 'x' }), apiKey({ id: '2', service: 'a', name: 'z' }), apiKey({ id: '3', service: 'a', name: 'y' })];
    expect(sortApiKeys(keys).map((k) => k.id)).toEqual(['3', '2', '1']);
  });
});

describe('ApiKeysPage add form', () => {
  it('uses a password input for the key, with no autofill', async () => {
    renderPage([apiKeysMock({ data: [] })]);
    await screen.findByText('No API keys yet');
    const key = addForm().getByLabelText('API key');
    expect(key.getAttribute('type')).toBe('password');
    expect(key.getAttribute('autocomplete')).toBe('off');
  });

  it('validates every field client-side before sending anything', async () => {
    renderPage([apiKeysMock({ data: [] })]); // no mutation mock: a request would fail the test
    await screen.findByText('No API keys yet');
    fireEvent.click(addForm().getByRole('button', { name: 'Save key' }));
    expect(fieldError(addForm().getByLabelText('Service'))).toBe('Enter the service this key is for.');
    expect(fieldError(addForm().getByLabelText('Name'))).toBe('Enter a name for this key.');
    expect(fieldError(addForm().getByLabelText('API key'))).toBe('Paste the API key.');
    expect(document.activeElement).toBe(addForm().getByLabelText('Service'));

    fillAddForm({ service: 'OpenAI', name: 'x'.repeat(256), key: 'k'.repeat(4097) });
    expect(fieldError(addForm().getByLabelText('Service'))).toBe('Use lower-case letters: “openai”.');
    expect(fieldError(addForm().getByLabelText('Name'))).toBe('Name must be at most 255 characters.');
    expect(fieldError(addForm().getByLabelText('API key'))).toBe('The key must be at most 4096 characters.');

    fillAddForm({ service: 'openai' });
    expect(fieldError(addForm().getByLabelText('Service'))).toBeNull();
  });

  it('saves a key, lists it by its hint, and leaves the plaintext nowhere in the DOM or cache (S27)', async () => {
    const saved = apiKey({ id: 'k_9', service: 'openai', name: 'Staging', hint: '9876' });
    const { cache } = renderPage([
      apiKeysMock({ data: [apiKey()] }),
      createApiKeyMock({ service: 'openai', name: 'Staging', key: PLAINTEXT }, { data: saved }),
    ]);
    await screen.findByText('••••wxyz');
    // Surrounding whitespace is a paste accident: trimmed, like the server does.
    fillAddForm({ service: ' openai ', name: 'Staging ', key: `  ${PLAINTEXT}\n` });
    fireEvent.click(addForm().getByRole('button', { name: 'Save key' }));

    expect((await screen.findByRole('status')).textContent).toContain(
      'Saved the openai key “Staging”. Only its last characters (••••9876) are shown from now on.',
    );
    const row = screen.getByRole('rowheader', { name: 'Staging' }).closest('tr')!;
    expect(within(row).getByText('••••9876')).toBeTruthy();
    expect((addForm().getByLabelText('API key') as HTMLInputElement).value).toBe('');
    expect((addForm().getByLabelText('Service') as HTMLInputElement).value).toBe('');
    expect((addForm().getByLabelText('Name') as HTMLInputElement).value).toBe('');
    expectNowhere(PLAINTEXT, cache);
    expect(cache.extract()['ROOT_QUERY']?.['apiKeys']).toEqual([{ __ref: 'ApiKey:k_1' }, { __ref: 'ApiKey:k_9' }]);
  });

  it('never mirrors the typed key into the value attribute', async () => {
    renderPage([apiKeysMock({ data: [] })]);
    await screen.findByText('No API keys yet');
    fillAddForm({ key: PLAINTEXT });
    expect(addForm().getByLabelText('API key').getAttribute('value')).toBeNull();
    expect(document.body.innerHTML).not.toContain(PLAINTEXT);
  });

  it.each([
    ['BAD_USER_INPUT', 'Service must be 1–100 characters', 'service', 'Service', 'Service must be 1–100 characters'],
    ['BAD_USER_INPUT', 'API key contains characters that cannot be part of a key', 'key', 'API key', 'API key contains characters that cannot be part of a key'],
    ['CONFLICT', 'You already have an API key with this name for this service', 'name', 'Name', DUPLICATE_MESSAGE],
  ])('shows a server %s (field %s) under the right field and keeps the form', async (code, message, field, label, shown) => {
    renderPage([
      apiKeysMock({ data: [] }),
      createApiKeyMock({ service: 'openai', name: 'Production', key: PLAINTEXT }, { errors: [graphQLError(code, message, field)] }),
    ]);
    await screen.findByText('No API keys yet');
    fillAddForm({ service: 'openai', name: 'Production', key: PLAINTEXT });
    fireEvent.click(addForm().getByRole('button', { name: 'Save key' }));
    const input = addForm().getByLabelText(label);
    await waitFor(() => expect(fieldError(input)).toBe(shown));
    expect(document.activeElement).toBe(input);
    expect((addForm().getByLabelText('Name') as HTMLInputElement).value).toBe('Production');
  });

  it('shows other failures above the form', async () => {
    renderPage([
      apiKeysMock({ data: [] }),
      createApiKeyMock({ service: 'openai', name: 'Production', key: PLAINTEXT }, { networkError: new TypeError('Failed to fetch') }),
    ]);
    await screen.findByText('No API keys yet');
    fillAddForm({ service: 'openai', name: 'Production', key: PLAINTEXT });
    fireEvent.click(addForm().getByRole('button', { name: 'Save key' }));
    expect((await addForm().findByRole('alert')).textContent).toContain('Could not reach the server.');
  });
});

describe('ApiKeysPage row actions', () => {
  it('renames a key in a dialog', async () => {
    renderPage([
      apiKeysMock({ data: [apiKey()] }),
      updateApiKeyMock('k_1', { name: 'Live' }, { data: apiKey({ name: 'Live', updatedAt: '2026-11-24T10:00:00.000Z' }) }),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Rename' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Rename API key' }));
    const input = dialog.getByLabelText('Name') as HTMLInputElement;
    expect(input.value).toBe('Production');
    expect(document.activeElement).toBe(input);

    fireEvent.change(input, { target: { value: ' ' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Save name' }));
    expect(fieldError(input)).toBe('Enter a name for this key.');

    fireEvent.change(input, { target: { value: 'Live' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Save name' }));
    expect(await screen.findByRole('rowheader', { name: 'Live' })).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('Renamed the openai key to “Live”.');
  });

  it('shows a duplicate name under the field of the rename dialog', async () => {
    renderPage([
      apiKeysMock({ data: [apiKey()] }),
      updateApiKeyMock('k_1', { name: 'Other' }, { errors: [graphQLError('CONFLICT', 'dup', 'name')] }),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Rename' }));
    const dialog = within(screen.getByRole('dialog'));
    fireEvent.change(dialog.getByLabelText('Name'), { target: { value: 'Other' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Save name' }));
    await waitFor(() => expect(fieldError(dialog.getByLabelText('Name'))).toBe(DUPLICATE_MESSAGE));
  });

  it('replaces the key value: password input, new hint shown, plaintext gone (S27)', async () => {
    const { cache } = renderPage([
      apiKeysMock({ data: [apiKey({ status: 'UNREADABLE' })] }),
      updateApiKeyMock('k_1', { key: PLAINTEXT }, { data: apiKey({ hint: '9876', status: 'OK' }) }),
    ]);
    await screen.findByText(UNREADABLE_LABEL);
    fireEvent.click(screen.getByRole('button', { name: 'Replace key' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Replace API key' }));
    const input = dialog.getByLabelText('New API key') as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(input.value).toBe('');

    fireEvent.click(dialog.getByRole('button', { name: 'Replace key' }));
    expect(fieldError(input)).toBe('Paste the API key.');

    fireEvent.change(input, { target: { value: PLAINTEXT } });
    fireEvent.click(dialog.getByRole('button', { name: 'Replace key' }));
    expect(await screen.findByText('••••9876')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByText(UNREADABLE_LABEL)).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('It now ends in ••••9876.');
    expectNowhere(PLAINTEXT, cache);
  });

  it('says so when the key was deleted elsewhere before the replace', async () => {
    renderPage([
      apiKeysMock({ data: [apiKey()] }),
      updateApiKeyMock('k_1', { key: PLAINTEXT }, { errors: [graphQLError('NOT_FOUND', 'API key not found')] }),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Replace key' }));
    const dialog = within(screen.getByRole('dialog'));
    fireEvent.change(dialog.getByLabelText('New API key'), { target: { value: PLAINTEXT } });
    fireEvent.click(dialog.getByRole('button', { name: 'Replace key' }));
    expect((await dialog.findByRole('alert')).textContent).toContain(KEY_GONE_MESSAGE);
  });

  it('deletes only after confirmation, then drops the row from the cache', async () => {
    const { cache } = renderPage([
      apiKeysMock({ data: [apiKey(), apiKey({ id: 'k_2', name: 'Backup', hint: 'abcd' })] }),
      deleteApiKeyMock('k_1', { data: true }),
    ]);
    const row = (await screen.findByRole('rowheader', { name: 'Production' })).closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    let dialog = within(screen.getByRole('alertdialog', { name: 'Delete API key?' }));
    expect(dialog.getByText(/will be deleted/).textContent).toContain('openai · Production');
    expect(document.activeElement).toBe(dialog.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('rowheader', { name: 'Production' })).toBeTruthy();

    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    dialog = within(screen.getByRole('alertdialog'));
    fireEvent.click(dialog.getByRole('button', { name: 'Delete key' }));
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: 'Production' })).toBeNull());
    expect(screen.getByRole('rowheader', { name: 'Backup' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Deleted the openai key “Production”.');
    expect(cache.extract()['ApiKey:k_1']).toBeUndefined();
  });

  it('closes a dialog with Escape', async () => {
    renderPage([apiKeysMock({ data: [apiKey()] })]);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    expect(screen.getByRole('alertdialog')).toBeTruthy();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});
