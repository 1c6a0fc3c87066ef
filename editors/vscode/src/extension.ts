// Starts `throughline lsp` for the workspace and hands it the report's files: site.yaml,
// and the YAML and Markdown files under content/.

import { workspace, ExtensionContext } from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export function activate(context: ExtensionContext): Promise<void> {
  const program = workspace
    .getConfiguration("throughline")
    .get<string>("path", "throughline");
  const serverOptions: ServerOptions = { command: program, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", pattern: "**/site.yaml" },
      { scheme: "file", pattern: "**/content/**/*.{md,yaml}" },
    ],
    synchronize: {
      // Files changed outside the editor (a git checkout, another program).
      fileEvents: workspace.createFileSystemWatcher(
        "**/{site.yaml,content/**/*.md,content/**/*.yaml}"
      ),
    },
  };
  client = new LanguageClient(
    "throughline",
    "throughline",
    serverOptions,
    clientOptions
  );
  context.subscriptions.push(client);
  return client.start();
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
