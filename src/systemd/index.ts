/** The user's systemd service manager (systemctl.ts) and the unit files written for it (unit-file.ts). */
export { serviceUnit, type ServiceSpec } from './unit-file.ts';
export { userServiceManager, type UserServiceManager } from './systemctl.ts';
