// The node types of tree-sitter-python 0.25.0 that have fields (its src/node-types.json).
// The tree walk (syntax.ts) asks tree-sitter for a node's field only under these parents:
// the lookup is a quarter of the walk, and most nodes (list items, statements of a block
// body, arguments) sit under parents without fields. test/unit/syntax.test.ts checks this
// list against node-types.json, so a grammar update cannot leave it stale.
export const FIELD_PARENT_TYPES: readonly string[] = [
  'aliased_import',
  'as_pattern',
  'assignment',
  'attribute',
  'augmented_assignment',
  'binary_operator',
  'block',
  'boolean_operator',
  'call',
  'case_clause',
  'class_definition',
  'comparison_operator',
  'decorated_definition',
  'default_parameter',
  'dict_pattern',
  'dictionary_comprehension',
  'elif_clause',
  'else_clause',
  'except_clause',
  'exec_statement',
  'for_in_clause',
  'for_statement',
  'format_expression',
  'function_definition',
  'future_import_statement',
  'generator_expression',
  'if_statement',
  'import_from_statement',
  'import_statement',
  'interpolation',
  'keyword_argument',
  'lambda',
  'list_comprehension',
  'match_statement',
  'named_expression',
  'not_operator',
  'pair',
  'print_statement',
  'raise_statement',
  'set_comprehension',
  'subscript',
  'try_statement',
  'type_alias_statement',
  'typed_default_parameter',
  'typed_parameter',
  'unary_operator',
  'while_statement',
  'with_item',
  'with_statement',
];

// The anonymous node types of tree-sitter-python 0.25.0 that are not tokens: string aliases
// of rules (`alias($._not_in, 'not in')`). Every other anonymous node is a token, whose only
// error is being MISSING, so the walk does not ask tree-sitter whether it has one.
// test/unit/syntax.test.ts checks this list against the grammar's src/grammar.json.
export const ANONYMOUS_NONTERMINALS: readonly string[] = ['is not', 'not in'];
