// CL402: a callable that cannot be pickled is handed to another process. Process pools
// (and `Process` under spawn/forkserver) send the function by pickling it, which stores
// only its module and qualified name; lambdas and functions defined inside other functions
// have no such name, and the call fails with a PicklingError (or AttributeError in the child).
import docs from './unpicklable-callable.md';
import { findDispatches } from '../../semantics/dispatch';
import { pickleProblem } from '../../semantics/picklable';
import { startMethodOf } from '../../semantics/origin';
import type { Finding } from '../../types';
import { memoised, type Rule } from '../rule';

const START_METHODS = 'spawn and forkserver, the defaults on Windows and macOS and, from Python 3.14, on Linux';

export const unpicklableCallable: Rule = {
  meta: {
    code: 'CL402',
    name: 'unpicklable-process-callable',
    family: 'multiprocessing',
    summary: 'A lambda, nested function or local closure is sent to another process, which cannot pickle it',
    severity: 'error',
    fixable: false,
    docs,
  },
  check(ctx) {
    for (const d of memoised(ctx, 'parallel-dispatches', () => findDispatches(ctx))) {
      if (d.runsIn !== 'process') continue;
      const problem = pickleProblem(ctx, d.fn);
      if (!problem) continue;
      // With fork, a Process inherits its target instead of unpickling it (pools still pickle tasks).
      if (d.origin?.family === 'process' && startMethodOf(ctx.model, ctx.resolver, d.call) === 'fork') continue;
      const evidence = [...d.evidence];
      if (d.api === '`multiprocessing.Process()`') evidence.push(`a \`Process\` target is pickled under the start methods ${START_METHODS}`);
      else evidence.push(`${d.api} pickles the function to send it to a worker process`);
      if (problem.spawnOnly) evidence.push(`this fails under ${START_METHODS}; with fork the child inherits the function`);
      const finding: Omit<Finding, 'severity'> = {
        code: 'CL402',
        message: `The callable passed to ${d.api} cannot be pickled: ${problem.reason}`,
        span: { start: d.fn.startIndex, end: d.fn.endIndex },
        evidence,
        noFixReason:
          'pickle sends a function as a reference to a name at the top level of its module, so the function has to be defined there; values it captured from the enclosing code become arguments (bind them with `functools.partial`)',
        suggestion: 'a function defined at the top level of the module, with `functools.partial` for the values it needs',
      };
      if (problem.definition && problem.definition.id !== d.fn.id) {
        finding.related = [{ message: 'defined here', span: { start: problem.definition.startIndex, end: problem.definition.endIndex } }];
      }
      ctx.report(finding);
    }
  },
};
