import type { PageContext } from '../app.js';
export async function explorerPage(_main: HTMLElement, _ctx: PageContext): Promise<void> {}
