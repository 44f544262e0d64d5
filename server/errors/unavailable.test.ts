import { describe, expect, it } from 'vitest';
import { isUnavailable } from './unavailable.js';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isUnavailable', () => {
  it('[operator] a dependency out of reach is recognised, in the error or its cause', () => {
    expect(isUnavailable(coded('ECONNREFUSED'))).toBe(true);
    expect(isUnavailable(coded('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isUnavailable(coded('08006'))).toBe(true);
    expect(isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailable(new Error('outer', { cause: coded('ECONNRESET') }))).toBe(true);
    expect(isUnavailable(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]))).toBe(true);
    expect(isUnavailable(Object.assign(new Error('SlowDown'), { $metadata: { httpStatusCode: 503 } }))).toBe(
      true,
    );
  });

  it('[operator] other failures stay internal errors', () => {
    expect(isUnavailable(new Error('boom'))).toBe(false);
    expect(isUnavailable(coded('23505'))).toBe(false); // a unique violation
    expect(isUnavailable(Object.assign(new Error('NoSuchKey'), { $metadata: { httpStatusCode: 404 } }))).toBe(
      false,
    );
    expect(isUnavailable(new AggregateError([coded('ECONNREFUSED'), new Error('boom')]))).toBe(false);
    expect(isUnavailable(null)).toBe(false);
    expect(isUnavailable('ECONNREFUSED')).toBe(false);
  });
});
