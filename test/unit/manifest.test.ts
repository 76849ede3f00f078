import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CommandId, PANEL_VIEW_TYPE } from '../../src/host/commandIds';
import { SETTING_KEYS } from '../../src/core/settings';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

describe('package.json manifest', () => {
  it('declares exactly the command ids of src/host/commandIds.ts, each in category Parascope with a title', () => {
    const declared = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(declared, Object.values(CommandId).sort());
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'Parascope', command.command);
      assert.ok(command.title.length > 3, command.command);
    }
  });

  it('names the six commands of the product', () => {
    const titles = manifest.contributes.commands.map((c: { title: string }) => c.title);
    assert.deepEqual(titles, [
      'Run Script with Pool…', 'Sweep Pool Sizes…', 'Check Parallel Safety of Current File',
      'Show Utilization Panel', 'Stop Run', 'Export Report…',
    ]);
  });

  it('gives every setting a default and a description ending with a period, mirroring src/core/settings.ts', () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { default?: unknown; description?: string }>;
    assert.deepEqual(Object.keys(properties).sort(), SETTING_KEYS.map((k) => `parascope.${k}`).sort());
    for (const [key, property] of Object.entries(properties)) {
      assert.ok('default' in property, `${key} has no default`);
      assert.match(property.description ?? '', /\.$/, `${key}: description must end with a period`);
    }
  });

  it('pins the VS Code engine to the real test host (1.100) and matching typings', () => {
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.equal(manifest.devDependencies['@types/vscode'], '~1.100.0');
  });

  it('declares limited untrusted-workspace support, the panel activation and the CLI bin', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${PANEL_VIEW_TYPE}`));
    assert.equal(manifest.bin.parascope, './dist/cli.js');
    const runButton = manifest.contributes.menus['editor/title/run'][0];
    assert.equal(runButton.command, CommandId.run);
    assert.match(runButton.when, /resourceLangId == python/);
  });
});
