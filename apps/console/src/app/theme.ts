import { createTheme, Modal } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily:
    'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace:
    'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  fontSizes: { xs: '12px', sm: '13px', md: '14px', lg: '16px', xl: '18px' },
  headings: { fontWeight: '650' },
  focusRing: 'auto',
  cursorType: 'pointer',
  components: {
    // A modal locks page scrolling (react-remove-scroll); its scrollbar compensation writes a
    // <style> tag without the CSP nonce, which the policy refuses. Scroll stays locked without it.
    Modal: Modal.extend({ defaultProps: { removeScrollProps: { removeScrollBar: false } } }),
  },
});
