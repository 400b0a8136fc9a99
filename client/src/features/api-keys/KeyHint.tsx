/**
 * What is shown of a stored key: dots, then its last characters (the server's `hint`, S27).
 * A short key has a shorter or empty hint: the server never reveals more than a quarter of it.
 */
export function KeyHint({ hint }: { hint: string }) {
  return (
    <span className="key-hint" title={hint ? `Ends in ${hint}` : 'Hidden'}>
      ••••{hint}
    </span>
  );
}
