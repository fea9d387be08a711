import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isUnstorableText } from '../../src/shared/database/database-errors';

/** Which database failures are a 503 worth retrying (issue #19), and which are the caller's input or our bug. */
const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const wrapped = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('database failures', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED' })],
    ['an admin shutdown mid-query (57P01), wrapped by TypeORM', wrapped(pgError('57P01'))],
    ['a server still starting (57P03)', pgError('57P03')],
    ['a connection failure (08006)', pgError('08006')],
    ['too many connections (53300)', pgError('53300')],
    ['a database renamed away (3D000)', pgError('3D000')],
    ['a connection cut without a code', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    [
      'both addresses of localhost refused',
      new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })], 'connect'),
    ],
  ])('counts %s as the database being unavailable', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a syntax error (42601)', wrapped(pgError('42601'))],
    ['a unique violation (23505)', wrapped(pgError('23505'))],
    ['a statement timeout (57014)', pgError('57014')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
  ])('does not count %s as the database being unavailable', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('counts a NUL PostgreSQL cannot store (22021, 22P05) as the input’s fault, and nothing else', () => {
    expect(isUnstorableText(wrapped(pgError('22021')))).toBe(true);
    expect(isUnstorableText(pgError('22P05'))).toBe(true);
    expect(isUnstorableText(pgError('23505'))).toBe(false);
  });
});
