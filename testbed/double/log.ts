// JSON-lines logging to stdout, like Mattermost's console log. Never pass secrets here.
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, err?: unknown, fields?: Record<string, unknown>): void;
}

export function jsonLogger(nodeId: string): Logger {
  const write = (level: string, msg: string, fields: Record<string, unknown> = {}) => {
    process.stdout.write(
      `${JSON.stringify({ timestamp: new Date().toISOString(), level, msg, node: nodeId, ...fields })}\n`,
    );
  };
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, err, fields) =>
      write('error', msg, {
        ...fields,
        error: err instanceof Error ? err.message : err === undefined ? undefined : String(err),
      }),
  };
}
