/** Set by the jest global setup for the test workers (kept import-free: global setup loads it). */
export const TEST_SERVER_URL_ENV = 'GMDESK_TEST_SERVER_URL';
export const TEST_TEMPLATE_ENV = 'GMDESK_TEST_TEMPLATE';
