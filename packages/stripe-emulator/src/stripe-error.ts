/** The error body Stripe sends, raised anywhere in the emulator and rendered in one place. */
export interface StripeErrorFields {
  type:
    | 'invalid_request_error'
    | 'card_error'
    | 'idempotency_error'
    | 'api_error'
    | 'rate_limit_error'
    | 'authentication_error';
  code?: string;
  message: string;
  param?: string;
  decline_code?: string;
  payment_intent?: Record<string, unknown>;
  charge?: string;
}

export class StripeEmulatorError extends Error {
  /** Stripe keeps some failed work (a declined PaymentIntent stays declined); most errors roll back. */
  keepsChanges = false;

  constructor(
    readonly statusCode: number,
    readonly fields: StripeErrorFields,
    readonly headers: Record<string, string> = {},
  ) {
    super(fields.message);
  }

  toBody(requestId: string): { error: Record<string, unknown> } {
    const docUrl = this.fields.code
      ? `https://stripe.com/docs/error-codes/${this.fields.code.replace(/_/g, '-')}`
      : undefined;
    return {
      error: {
        ...this.fields,
        ...(docUrl ? { doc_url: docUrl } : {}),
        request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}`,
      },
    };
  }
}

export function invalidRequest(
  message: string,
  options: { code?: string; param?: string; statusCode?: number } = {},
): StripeEmulatorError {
  return new StripeEmulatorError(options.statusCode ?? 400, {
    type: 'invalid_request_error',
    message,
    ...(options.code ? { code: options.code } : {}),
    ...(options.param ? { param: options.param } : {}),
  });
}

export function resourceMissing(objectName: string, id: string, param = 'id'): StripeEmulatorError {
  return invalidRequest(`No such ${objectName}: '${id}'`, { code: 'resource_missing', param, statusCode: 404 });
}

export function parameterUnknown(param: string): StripeEmulatorError {
  return invalidRequest(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });
}

export function parameterMissing(param: string): StripeEmulatorError {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function parameterInvalid(param: string, message: string): StripeEmulatorError {
  return invalidRequest(message, { code: 'parameter_invalid_string', param });
}
