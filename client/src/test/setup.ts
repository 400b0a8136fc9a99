import { configure } from '@testing-library/dom';

// findBy*/waitFor default to 1 s; on a loaded 2-core CI machine that is flaky, not informative.
configure({ asyncUtilTimeout: 5_000 });
