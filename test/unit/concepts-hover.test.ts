// The Markdown of a concept hover: the full note with its links, or one line beside a diagnostic.
import { strict as assert } from 'node:assert';
import { CONSTRUCTS, conceptUrl } from '../../src/core/knowledge/concepts';
import { CHOOSE_MODEL_COMMAND, FREE_THREADED_NOTE, conceptHoverMarkdown } from '../../src/extension/concept-text';

describe('concept hover text', () => {
  it('shows the construct, its note, the topic link and the model guide command', () => {
    const md = conceptHoverMarkdown('asyncio.create_task');
    assert.ok(md.startsWith('`asyncio.create_task()` — *concurrency concept*\n\n'));
    assert.ok(md.includes(CONSTRUCTS['asyncio.create_task'].body));
    assert.ok(md.includes(`](${conceptUrl('await-vs-create-task')})`));
    assert.ok(md.includes(`(command:${CHOOSE_MODEL_COMMAND})`));
  });

  it('beside a diagnostic it is one line with the topic link only', () => {
    const md = conceptHoverMarkdown('time.sleep', { compact: true });
    assert.equal(md.split('\n').length, 1);
    assert.ok(md.includes('`time.sleep()`'));
    assert.ok(md.includes(conceptUrl('gil')));
    assert.ok(!md.includes(CONSTRUCTS['time.sleep'].body));
    assert.ok(!md.includes('command:'));
  });

  it('says why CL301 is off on thread constructs in free-threaded mode, and only there', () => {
    assert.ok(conceptHoverMarkdown('concurrent.futures.ThreadPoolExecutor', { freeThreaded: true }).includes(FREE_THREADED_NOTE));
    assert.ok(conceptHoverMarkdown('threading.Thread', { freeThreaded: true }).includes('no GIL'));
    assert.ok(!conceptHoverMarkdown('threading.Thread').includes(FREE_THREADED_NOTE));
    assert.ok(!conceptHoverMarkdown('asyncio.create_task', { freeThreaded: true }).includes(FREE_THREADED_NOTE));
  });
});
