// Mattermost's AppError, as it appears on the wire:
// {"id", "message", "detailed_error", "request_id", "status_code"}.
export class AppError extends Error {
  constructor(
    readonly id: string,
    message: string,
    readonly statusCode: number,
    readonly detailedError = '',
  ) {
    super(message);
  }

  toBody(requestId: string): Record<string, unknown> {
    return {
      id: this.id,
      message: this.message,
      detailed_error: this.detailedError,
      request_id: requestId,
      status_code: this.statusCode,
    };
  }
}

export function invalidBodyParam(name: string, detail = ''): AppError {
  return new AppError(
    'api.context.invalid_body_param.app_error',
    `Invalid or missing ${name} in request body.`,
    400,
    detail,
  );
}

export function invalidUrlParam(name: string): AppError {
  return new AppError(
    'api.context.invalid_url_param.app_error',
    `Invalid or missing ${name} parameter in request URL.`,
    400,
  );
}

export function invalidParam(name: string): AppError {
  return new AppError('api.context.invalid_param.app_error', `Invalid ${name} parameter.`, 400);
}

export function sessionExpired(): AppError {
  return new AppError(
    'api.context.session_expired.app_error',
    'Invalid or expired session, please login again.',
    401,
    'token not found',
  );
}

export function forbidden(detail = ''): AppError {
  return new AppError(
    'api.context.permissions.app_error',
    'You do not have the appropriate permissions.',
    403,
    detail,
  );
}

export function notFound(what: string, id = ''): AppError {
  return new AppError(
    `app.${what}.get.app_error`,
    `Unable to find the existing ${what}.`,
    404,
    id ? `id=${id}` : '',
  );
}

export function routeNotFound(): AppError {
  return new AppError(
    'api.context.404.app_error',
    'Sorry, we could not find the page.',
    404,
    "There doesn't appear to be an api call for the url",
  );
}

export function methodNotAllowed(): AppError {
  return new AppError('api.context.405.app_error', 'Method not allowed.', 405);
}

export function bodyTooLarge(limit: number): AppError {
  return new AppError(
    'api.context.request_body_too_large.app_error',
    'Request body is too large.',
    413,
    `limit=${limit}`,
  );
}

// A store failure: Mattermost answers 500 with the operation's app error id and the driver's
// message as detailed_error. The process stays up; the pool reconnects when the database returns.
export function storeError(operation: string, cause: unknown): AppError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new AppError(
    `app.${operation}.app_error`,
    `Unable to ${operation.replace(/[._]/g, ' ')}.`,
    500,
    detail,
  );
}
