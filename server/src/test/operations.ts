import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/** A literal of the right shape for any input type, so any operation can be called in a test. */
function sampleLiteral(type: GraphQLInputType): string {
  if (isNonNullType(type)) return sampleLiteral(type.ofType);
  if (isListType(type)) return `[${sampleLiteral(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
    return `{ ${fields.map((f) => `${f.name}: ${sampleLiteral(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return '1';
      case 'Boolean':
        return 'true';
      case 'DateTimeISO':
        return '"2026-01-01T00:00:00.000Z"';
      default:
        return '"00000000-0000-4000-8000-000000000000"';
    }
  }
  throw new Error(`no sample for ${String(type)}`);
}

export interface RootOperation {
  kind: 'query' | 'mutation';
  name: string;
  /** A complete document calling only this field with sample arguments. */
  document: string;
}

/** Every root query and mutation of the schema, each as a runnable document. */
export function rootOperations(schema: GraphQLSchema): RootOperation[] {
  const ops: RootOperation[] = [];
  const add = (kind: RootOperation['kind'], field: GraphQLField<unknown, unknown>) => {
    const args = field.args.filter((a) => isNonNullType(a.type));
    const argText = args.length ? `(${args.map((a) => `${a.name}: ${sampleLiteral(a.type)}`).join(', ')})` : '';
    const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
    ops.push({ kind, name: field.name, document: `${kind} { ${field.name}${argText}${selection} }` });
  };
  for (const f of Object.values(schema.getQueryType()?.getFields() ?? {})) add('query', f);
  for (const f of Object.values(schema.getMutationType()?.getFields() ?? {})) add('mutation', f);
  return ops;
}
