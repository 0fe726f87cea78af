// The one address every component of a stack listens on and every client dials: mmdrill never
// binds to or reaches anything off this machine, so the address is a constant, not a setting.
export const LOOPBACK = '127.0.0.1';
