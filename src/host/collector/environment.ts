// Zero configuration: while the collector runs, new terminals and debug sessions get the standard
// OpenTelemetry exporter variables pointing at it, so an app started "as usual" reports here.
import * as vscode from 'vscode';
import type { CollectorEndpoints } from '../../core/collector';
import type { CollectorController } from './controller';

/** The variables for the running collector (OTLP over HTTP/protobuf, the SDK default port 4318). */
export function otelEnvironment(endpoints: CollectorEndpoints): Record<string, string> {
  const env: Record<string, string> = {};
  if (endpoints.otlpHttp) {
    env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoints.otlpHttp;
    env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/protobuf';
  } else if (endpoints.otlpGrpc) {
    env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoints.otlpGrpc;
    env.OTEL_EXPORTER_OTLP_PROTOCOL = 'grpc';
  }
  if (endpoints.zipkin) env.OTEL_EXPORTER_ZIPKIN_ENDPOINT = endpoints.zipkin;
  return env;
}

/** "export" lines for a shell, with the gRPC alternative as a comment. */
export function exportLines(endpoints: CollectorEndpoints): string {
  const lines = Object.entries(otelEnvironment(endpoints)).map(([k, v]) => `export ${k}=${v}`);
  if (endpoints.otlpHttp && endpoints.otlpGrpc) {
    lines.push(`# gRPC instead: export OTEL_EXPORTER_OTLP_ENDPOINT=${endpoints.otlpGrpc} OTEL_EXPORTER_OTLP_PROTOCOL=grpc`);
  }
  return lines.join('\n') + '\n';
}

/** Terminal environment (context.environmentVariableCollection), set while running, cleared after. */
export function registerTerminalEnvironment(context: vscode.ExtensionContext, controller: CollectorController): void {
  const coll = context.environmentVariableCollection;
  // Not persisted: after a reload the collector is not running, so the variables must not linger.
  coll.persistent = false;
  coll.description = 'Points OpenTelemetry exporters at the Spanlens dev collector while it runs.';
  const update = () => {
    coll.clear();
    const h = controller.handle;
    if (!h) return;
    for (const [k, v] of Object.entries(otelEnvironment(h.endpoints))) coll.replace(k, v);
  };
  update();
  context.subscriptions.push(controller.onDidChangeState(update), { dispose: () => coll.clear() });
}

/**
 * Adds the variables to the `env` of every launch configuration while the collector runs; values
 * the user set in launch.json win.
 */
export class CollectorDebugEnvironment implements vscode.DebugConfigurationProvider {
  constructor(private readonly controller: CollectorController) {}

  static register(context: vscode.ExtensionContext, controller: CollectorController): void {
    context.subscriptions.push(vscode.debug.registerDebugConfigurationProvider('*', new CollectorDebugEnvironment(controller)));
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    return withCollectorEnv(config, this.controller.handle?.endpoints);
  }
}

/** The configuration with the collector variables added to `env` (never overwriting one that is set). */
export function withCollectorEnv(config: vscode.DebugConfiguration, endpoints: CollectorEndpoints | undefined): vscode.DebugConfiguration {
  if (!endpoints) return config;
  const env: Record<string, unknown> = config.env && typeof config.env === 'object' ? { ...(config.env as Record<string, unknown>) } : {};
  let added = false;
  // The endpoint and protocol go together: one set by the user means theirs is a choice of both.
  const userOtlp = env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || env.OTEL_EXPORTER_OTLP_PROTOCOL !== undefined;
  for (const [k, v] of Object.entries(otelEnvironment(endpoints))) {
    if (userOtlp && k.startsWith('OTEL_EXPORTER_OTLP_')) continue;
    if (env[k] === undefined) {
      env[k] = v;
      added = true;
    }
  }
  return added ? { ...config, env } : config;
}
