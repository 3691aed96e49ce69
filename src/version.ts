/** Our version (kubetest-version in metadata.json); kept in step with package.json by a unit test. */
export const KUBETEST_VERSION = 'v0.1.0';
