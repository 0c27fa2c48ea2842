// The one list to edit when adding a rule.
import { blockingSleep } from './event-loop/blocking-sleep';
import { blockingNetwork } from './event-loop/blocking-network';
import { blockingSubprocess } from './event-loop/blocking-subprocess';
import { blockingFileIo } from './event-loop/blocking-file-io';
import { blockingDatabase } from './event-loop/blocking-database';
import { blockingConsoleInput } from './event-loop/blocking-console-input';
import { blockingThreadWait } from './event-loop/blocking-thread-wait';
import { nestedEventLoop } from './event-loop/nested-event-loop';
import { blockingHelper } from './event-loop/blocking-helper';
import { cpuBoundInAsync } from './event-loop/cpu-bound-in-async';
import { unawaitedCoroutine } from './asyncio/unawaited-coroutine';
import { droppedTask } from './asyncio/dropped-task';
import { sequentialAwaits } from './asyncio/sequential-awaits';
import { threadingPrimitiveInAsync } from './asyncio/threading-primitive-in-async';
import { busyWait } from './asyncio/busy-wait';
import { getEventLoopInCoroutine } from './asyncio/get-event-loop';
import { cpuBoundThread } from './threads/cpu-bound-thread';
import { unlockedSharedWrite } from './threads/unlocked-shared-write';
import { acquireWithoutRelease } from './threads/acquire-without-release';
import { unguardedProcessStart } from './multiprocessing/unguarded-process-start';
import { unpicklableCallable } from './multiprocessing/unpicklable-callable';
import { ioBoundProcess } from './multiprocessing/io-bound-process';
import { unclosedPool } from './multiprocessing/unclosed-pool';
import type { Rule } from './rule';
import { withoutFixesInBrokenCode } from '../fixes/broken';

export type { Rule, RuleContext } from './rule';

// (Each rule's fixes are left out inside code that error recovery put together: fixes/broken.ts.)
export const allRules: readonly Rule[] = [
  blockingSleep,
  blockingNetwork,
  blockingSubprocess,
  blockingFileIo,
  blockingDatabase,
  blockingConsoleInput,
  blockingThreadWait,
  cpuBoundInAsync,
  blockingHelper,
  nestedEventLoop,
  unawaitedCoroutine,
  droppedTask,
  sequentialAwaits,
  threadingPrimitiveInAsync,
  busyWait,
  getEventLoopInCoroutine,
  cpuBoundThread,
  unlockedSharedWrite,
  acquireWithoutRelease,
  unguardedProcessStart,
  unpicklableCallable,
  ioBoundProcess,
  unclosedPool,
].map(withoutFixesInBrokenCode);

const byCode = new Map(allRules.map((r) => [r.meta.code, r]));

export function ruleByCode(code: string): Rule | undefined {
  return byCode.get(code.toUpperCase());
}
