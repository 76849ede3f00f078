/** Every command id, in one place, mirroring `contributes.commands` in package.json. */
export const CommandId = {
  run: 'parascope.run',
  sweep: 'parascope.sweep',
  check: 'parascope.check',
  showPanel: 'parascope.showPanel',
  stop: 'parascope.stop',
  export: 'parascope.export',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];

/** The webview panel's view type (also in `activationEvents`). */
export const PANEL_VIEW_TYPE = 'parascope.panel';
