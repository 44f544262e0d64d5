interface FiniteKeyword {
  keyword: 'finite';
  schemaType: 'boolean';
  errors: false;
  validate: (finite: boolean, data: unknown) => boolean;
}

/**
 * The `finite` schema keyword (contracts/common.ts FiniteNumber, FiniteInteger): a number must be
 * finite. Declared without a type, Ajv checks it after type coercion, on the number the query
 * string's text became — where `minimum` and `maximum` are skipped for ±Infinity.
 */
export function finiteKeyword<A extends { addKeyword(definition: FiniteKeyword): A }>(ajv: A): A {
  return ajv.addKeyword({
    keyword: 'finite',
    schemaType: 'boolean',
    errors: false,
    validate: (finite: boolean, data: unknown) =>
      !finite || typeof data !== 'number' || Number.isFinite(data),
  });
}
