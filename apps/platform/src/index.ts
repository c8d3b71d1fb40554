// What the cross-app tests may use of the platform: its process shape.
export { PLATFORM_ROLES } from './platform';
