// Starts `handbook lsp` for the Markdown and YAML files under a handbook's
// content/ folder. Settings: handbook.path, handbook.root, handbook.drafts.
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

async function activate(context) {
  const config = vscode.workspace.getConfiguration('handbook');
  const args = ['lsp'];
  const root = config.get('root');
  if (root) {
    args.push('--root', root);
  }
  if (config.get('drafts')) {
    args.push('--drafts');
  }
  const serverOptions = {
    command: config.get('path') || 'handbook',
    args,
    transport: TransportKind.stdio,
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown', pattern: '**/content/**' },
      { scheme: 'file', language: 'yaml', pattern: '**/content/**' },
    ],
    synchronize: {
      // Files changed outside the editor (a git checkout, another program).
      fileEvents: vscode.workspace.createFileSystemWatcher('**/content/**'),
    },
  };
  client = new LanguageClient('handbook', 'handbook', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
