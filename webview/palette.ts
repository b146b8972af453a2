// Service colours. The colours themselves live in styles.css (`.sl-c0` … `.sl-c11`, with light,
// dark and high-contrast variants) so that theming stays in CSS; here we only map a service index
// to its class, which keeps a service's colour stable for the whole trace.
export const PALETTE_SIZE = 12;

export function serviceColorClass(serviceIndex: number): string {
  const i = Number.isFinite(serviceIndex) && serviceIndex >= 0 ? serviceIndex % PALETTE_SIZE : 0;
  return `sl-c${i}`;
}
