// The blocking-call catalogue: which callables block the thread that calls them, which
// rule reports them, and how the quick fix rewrites them. Seeded from
// shared/reference/blocking-calls.md. Names are canonical qualified names as the resolver
// produces them: `time.sleep`, `builtins.open`, and `Type.method` for methods on an
// instance of a known type (`requests.Session.get`).

/** How a quick fix rewrites the call. */
export type FixKind =
  | 'sleep' // await asyncio.sleep(...)
  | 'to-thread' // await asyncio.to_thread(func, *args, **kwargs)
  | 'subprocess' // create_subprocess_exec/shell for simple forms, else to-thread
  | 'wrap-future' // await asyncio.wrap_future(fut)
  | 'none';

export interface BlockingEntry {
  code: string;
  fix: FixKind;
  /** Set when the fix exists but may change behaviour; the text says why. */
  unsafeBecause?: string;
  /** Set when no fix is offered; the text says why (shown in the hover). */
  noFixBecause?: string;
  /** The call does not block when this keyword is literally False (or the positional at `pos`). */
  nonBlockingFlag?: { keyword: string; pos: number };
  /** What to use instead, named in the message. */
  instead?: string;
}

const catalogue = new Map<string, BlockingEntry>();
/** Callable -> type of the instance it returns (constructors and factories). */
const returns = new Map<string, string>();
/** Types whose every method blocks, except the listed ones. */
const allMethods = new Map<string, { code: string; except: Set<string>; unsafeBecause?: string; instead?: string }>();
/** Alternative names of the same type. */
const typeAliases = new Map<string, string>();

function add(code: string, names: string[], fix: FixKind, extra: Partial<BlockingEntry> = {}): void {
  for (const n of names) catalogue.set(n, { code, fix, ...extra });
}
function each(prefix: string, members: string): string[] {
  return members.trim().split(/\s+/).map((m) => `${prefix}.${m}`);
}
function ret(type: string, ...callables: string[]): void {
  for (const c of callables) returns.set(c, type);
}

// CL101 — sleeping
add('CL101', ['time.sleep'], 'sleep', { instead: 'asyncio.sleep' });

// CL102 — network and HTTP clients
const HTTP_VERBS = 'get post put patch delete head options request';
add('CL102', each('requests', `${HTTP_VERBS} trace connect`), 'to-thread', { instead: 'httpx.AsyncClient or aiohttp' });
ret('requests.Session', 'requests.Session', 'requests.session', 'requests.sessions.Session');
add('CL102', each('requests.Session', `${HTTP_VERBS} send`), 'to-thread', { instead: 'httpx.AsyncClient or aiohttp' });
add('CL102', each('httpx', `${HTTP_VERBS} stream`), 'to-thread', { instead: 'httpx.AsyncClient' });
ret('httpx.Client', 'httpx.Client');
add('CL102', each('httpx.Client', `${HTTP_VERBS} send stream close`), 'to-thread', { instead: 'httpx.AsyncClient' });
add('CL102', ['urllib.request.urlopen', 'urllib.request.urlretrieve'], 'to-thread', { instead: 'httpx.AsyncClient or aiohttp' });
ret('http.client.HTTPResponse', 'urllib.request.urlopen', 'http.client.HTTPConnection.getresponse');
add('CL102', each('http.client.HTTPResponse', 'read read1 readline readlines readinto'), 'to-thread');
add('CL102', ['urllib3.request'], 'to-thread', { instead: 'httpx.AsyncClient or aiohttp' });
for (const t of ['PoolManager', 'ProxyManager', 'HTTPConnectionPool', 'HTTPSConnectionPool']) {
  ret(`urllib3.${t}`, `urllib3.${t}`, `urllib3.poolmanager.${t}`, `urllib3.connectionpool.${t}`);
  // A pool exists to make HTTP requests: every method but the bookkeeping ones talks to a server.
  allMethods.set(`urllib3.${t}`, {
    code: 'CL102',
    except: new Set(['clear', 'close', 'connection_from_host', 'connection_from_url', 'connection_from_context', 'connection_from_pool_key', 'is_same_host']),
    instead: 'httpx.AsyncClient or aiohttp',
  });
}
ret('urllib3.PoolManager', 'urllib3.proxy_from_url');
// The same types under their defining modules (annotations often use these), and the bases.
for (const [alias, type] of [
  ['urllib3.poolmanager.PoolManager', 'urllib3.PoolManager'],
  ['urllib3.poolmanager.ProxyManager', 'urllib3.ProxyManager'],
  ['urllib3.connectionpool.HTTPConnectionPool', 'urllib3.HTTPConnectionPool'],
  ['urllib3.connectionpool.HTTPSConnectionPool', 'urllib3.HTTPSConnectionPool'],
  ['urllib3.connectionpool.ConnectionPool', 'urllib3.HTTPConnectionPool'],
  ['urllib3.request.RequestMethods', 'urllib3.PoolManager'],
  ['urllib3._request_methods.RequestMethods', 'urllib3.PoolManager'],
  ['requests.sessions.Session', 'requests.Session'],
  ['httpx._client.Client', 'httpx.Client'],
] as const) {
  typeAliases.set(alias, type);
}
for (const t of ['HTTPConnection', 'HTTPSConnection']) {
  ret(`http.client.${t}`, `http.client.${t}`);
  add('CL102', each(`http.client.${t}`, 'request getresponse putrequest endheaders send connect'), 'to-thread');
  typeAliases.set(`http.client.${t}`, `http.client.${t}`);
}
typeAliases.set('http.client.HTTPSConnection', 'http.client.HTTPConnection');
add('CL102', each('socket', 'create_connection create_server getaddrinfo gethostbyname gethostbyname_ex gethostbyaddr getnameinfo getfqdn'), 'to-thread', {
  instead: 'asyncio.open_connection or loop.getaddrinfo',
});
ret('socket.socket', 'socket.socket', 'socket.create_connection', 'socket.create_server', 'socket.socket.accept');
add('CL102', each('socket.socket', 'connect connect_ex accept send sendall sendto sendfile recv recv_into recvfrom recvfrom_into recvmsg'), 'to-thread', {
  instead: 'asyncio.open_connection (streams) or loop.sock_* with a non-blocking socket',
});
ret('ssl.SSLSocket', 'ssl.SSLContext.wrap_socket', 'ssl.wrap_socket');
add('CL102', each('ssl.SSLSocket', 'read write recv send sendall connect accept do_handshake'), 'to-thread');
for (const [mod, cls] of [['ftplib', 'FTP'], ['ftplib', 'FTP_TLS'], ['smtplib', 'SMTP'], ['smtplib', 'SMTP_SSL'], ['poplib', 'POP3'], ['poplib', 'POP3_SSL'], ['imaplib', 'IMAP4'], ['imaplib', 'IMAP4_SSL'], ['telnetlib', 'Telnet']] as const) {
  // Constructing the client connects; every method talks to the server.
  add('CL102', [`${mod}.${cls}`], 'to-thread', { instead: mod === 'smtplib' ? 'aiosmtplib' : undefined });
  ret(`${mod}.${cls}`, `${mod}.${cls}`);
  allMethods.set(`${mod}.${cls}`, { code: 'CL102', except: new Set(['set_debuglevel', 'set_pasv']) });
}
add('CL102', ['xmlrpc.client.ServerProxy'], 'none', { noFixBecause: 'calls on the proxy block too; move the whole exchange into a function run with asyncio.to_thread' });

// CL103 — processes
add('CL103', each('subprocess', 'run call check_call check_output getoutput getstatusoutput'), 'subprocess', {
  instead: 'asyncio.create_subprocess_exec',
});
add('CL103', ['subprocess.Popen'], 'to-thread', { instead: 'asyncio.create_subprocess_exec' });
ret('subprocess.Popen', 'subprocess.Popen');
add('CL103', each('subprocess.Popen', 'wait communicate'), 'to-thread', { instead: 'asyncio.create_subprocess_exec' });
add('CL103', each('os', 'system popen posix_spawn posix_spawnp spawnl spawnle spawnlp spawnlpe spawnv spawnve spawnvp spawnvpe wait wait3 wait4 waitid waitpid'), 'to-thread', {
  instead: 'asyncio.create_subprocess_exec / create_subprocess_shell',
});

// CL104 — file system
const FILE = 'io.TextIOWrapper';
add('CL104', ['builtins.open', 'io.open', 'io.open_code', 'os.open', 'os.fdopen', 'codecs.open', 'gzip.open', 'bz2.open', 'lzma.open'], 'to-thread', {
  instead: 'aiofiles / anyio.open_file, or asyncio.to_thread',
});
ret(FILE, 'builtins.open', 'io.open', 'io.open_code', 'os.fdopen', 'codecs.open', 'gzip.open', 'bz2.open', 'lzma.open', 'gzip.GzipFile', 'bz2.BZ2File', 'lzma.LZMAFile', 'pathlib.Path.open', 'io.FileIO');
add('CL104', each('tempfile', 'TemporaryFile NamedTemporaryFile SpooledTemporaryFile mkstemp mkdtemp'), 'to-thread');
ret(FILE, 'tempfile.TemporaryFile', 'tempfile.NamedTemporaryFile');
add('CL104', ['gzip.GzipFile', 'bz2.BZ2File', 'lzma.LZMAFile', 'io.FileIO'], 'to-thread');
add('CL104', each(FILE, 'read read1 readline readlines readinto write writelines flush truncate'), 'to-thread', {
  instead: 'aiofiles, or do the whole read/write in a function run with asyncio.to_thread',
});
for (const t of ['io.BufferedReader', 'io.BufferedWriter', 'io.BufferedRandom', 'io.BufferedRWPair', 'io.RawIOBase', 'io.BufferedIOBase', 'io.TextIOBase', 'io.IOBase', 'gzip.GzipFile', 'bz2.BZ2File', 'lzma.LZMAFile', 'io.FileIO', 'tempfile._TemporaryFileWrapper']) {
  typeAliases.set(t, FILE);
}
for (const t of ['pathlib.PosixPath', 'pathlib.WindowsPath', 'pathlib.Path']) typeAliases.set(t, 'pathlib.Path');
ret('pathlib.Path', 'pathlib.Path', 'pathlib.PosixPath', 'pathlib.WindowsPath', 'pathlib.Path.home', 'pathlib.Path.cwd');
// Pure path operations keep the type; they do no I/O.
ret('pathlib.Path', ...each('pathlib.Path', 'with_name with_suffix with_stem joinpath relative_to absolute expanduser resolve'));
add('CL104', each('pathlib.Path', 'open read_text read_bytes write_text write_bytes exists is_file is_dir is_symlink is_mount is_socket is_fifo is_block_device is_char_device stat lstat glob rglob iterdir walk mkdir rmdir unlink rename replace resolve touch chmod lchmod samefile owner group readlink symlink_to hardlink_to'), 'to-thread', {
  instead: 'anyio.Path, or asyncio.to_thread',
});
add('CL104', each('os.path', 'exists lexists isfile isdir islink ismount isjunction getsize getatime getmtime getctime samefile sameopenfile realpath'), 'to-thread');
add('CL104', each('os', 'listdir scandir walk fwalk stat lstat mkdir makedirs rename renames replace remove removedirs unlink rmdir link symlink readlink access chmod chown truncate utime'), 'to-thread');
add('CL104', each('glob', 'glob iglob'), 'to-thread');
add('CL104', each('shutil', 'copy copy2 copyfile copyfileobj copytree move rmtree make_archive unpack_archive disk_usage chown'), 'to-thread');

// CL105 — database and service drivers (sync)
const SQLITE_UNSAFE = 'sqlite3 connections and cursors may only be used by the thread that created them; running this call in a worker thread raises ProgrammingError unless the connection was made with check_same_thread=False';
add('CL105', ['sqlite3.connect'], 'to-thread', { instead: 'aiosqlite', unsafeBecause: SQLITE_UNSAFE });
ret('sqlite3.Connection', 'sqlite3.connect', 'sqlite3.Connection');
ret('sqlite3.Cursor', 'sqlite3.Connection.cursor', 'sqlite3.Connection.execute', 'sqlite3.Connection.executemany', 'sqlite3.Connection.executescript', 'sqlite3.Cursor.execute', 'sqlite3.Cursor.executemany');
const SQL_METHODS = 'execute executemany executescript fetchone fetchmany fetchall commit rollback backup iterdump';
add('CL105', each('sqlite3.Connection', SQL_METHODS), 'to-thread', { instead: 'aiosqlite', unsafeBecause: SQLITE_UNSAFE });
add('CL105', each('sqlite3.Cursor', SQL_METHODS), 'to-thread', { instead: 'aiosqlite', unsafeBecause: SQLITE_UNSAFE });
for (const [mod, alt] of [['psycopg2', 'asyncpg or psycopg (async)'], ['psycopg', 'psycopg.AsyncConnection'], ['pymysql', 'aiomysql'], ['MySQLdb', 'aiomysql'], ['mysql.connector', 'aiomysql'], ['cx_Oracle', 'oracledb async'], ['oracledb', 'oracledb.connect_async']] as const) {
  add('CL105', [`${mod}.connect`], 'to-thread', { instead: alt });
  ret(`${mod}.Connection`, `${mod}.connect`);
  ret(`${mod}.Cursor`, `${mod}.Connection.cursor`, `${mod}.Connection.execute`);
  add('CL105', each(`${mod}.Connection`, 'execute commit rollback'), 'to-thread', { instead: alt });
  add('CL105', each(`${mod}.Cursor`, 'execute executemany fetchone fetchmany fetchall callproc'), 'to-thread', { instead: alt });
}
typeAliases.set('psycopg.Connection', 'psycopg.Connection');
for (const [type, ctor, alt, except] of [
  ['pymongo.MongoClient', ['pymongo.MongoClient', 'pymongo.mongo_client.MongoClient'], 'motor / pymongo AsyncMongoClient', ''],
  ['redis.Redis', ['redis.Redis', 'redis.StrictRedis', 'redis.Redis.from_url', 'redis.from_url', 'redis.client.Redis'], 'redis.asyncio', 'pipeline pubsub lock register_script get_connection_kwargs get_encoder'],
  ['elasticsearch.Elasticsearch', ['elasticsearch.Elasticsearch'], 'elasticsearch.AsyncElasticsearch', ''],
  ['kafka.KafkaProducer', ['kafka.KafkaProducer'], 'aiokafka', ''],
  ['kafka.KafkaConsumer', ['kafka.KafkaConsumer'], 'aiokafka', ''],
  ['boto3.client', ['boto3.client', 'boto3.session.Session.client', 'boto3.Session.client'], 'aioboto3 or asyncio.to_thread', 'get_paginator get_waiter can_paginate meta exceptions'],
  ['boto3.resource', ['boto3.resource', 'boto3.session.Session.resource', 'boto3.Session.resource'], 'aioboto3 or asyncio.to_thread', 'meta'],
] as const) {
  ret(type, ...ctor);
  // redis and elasticsearch clients connect lazily; creating one does no I/O. MongoClient
  // resolves and contacts its seeds, boto3 reads service models from disk, Kafka clients
  // connect at construction.
  if (/^(boto3|kafka|pymongo)/.test(type)) add('CL105', [...ctor], 'to-thread', { instead: alt });
  allMethods.set(type, { code: 'CL105', except: new Set(except.split(' ').filter(Boolean)), instead: alt });
}
ret('pymongo.database.Database', 'pymongo.MongoClient.get_database');
ret('boto3.Session', 'boto3.Session', 'boto3.session.Session');

// CL106 — console input
add('CL106', ['builtins.input', 'sys.stdin.read', 'sys.stdin.readline', 'sys.stdin.readlines', 'sys.stdin.buffer.read', 'sys.stdin.buffer.readline', 'getpass.getpass'], 'to-thread', {
  instead: 'a stream reader on stdin (loop.connect_read_pipe), or asyncio.to_thread',
});

// CL107 — waiting on thread and process primitives
const LOCKS = ['threading.Lock', 'threading.RLock', 'threading.Semaphore', 'threading.BoundedSemaphore', 'threading.Condition', 'multiprocessing.Lock', 'multiprocessing.RLock', 'multiprocessing.Semaphore', 'multiprocessing.BoundedSemaphore', 'multiprocessing.Condition'];
for (const t of LOCKS) ret(t, t);
for (const t of ['Event', 'Barrier', 'Thread', 'Timer']) ret(`threading.${t}`, `threading.${t}`);
typeAliases.set('threading.Timer', 'threading.Thread');
for (const t of ['Event', 'Barrier', 'Process']) ret(`multiprocessing.${t}`, `multiprocessing.${t}`, `multiprocessing.context.${t}`);
typeAliases.set('multiprocessing.Event', 'threading.Event');
typeAliases.set('multiprocessing.Barrier', 'threading.Barrier');
typeAliases.set('multiprocessing.Lock', 'threading.Lock');
typeAliases.set('multiprocessing.RLock', 'threading.RLock');
typeAliases.set('multiprocessing.Semaphore', 'threading.Semaphore');
typeAliases.set('multiprocessing.BoundedSemaphore', 'threading.Semaphore');
typeAliases.set('threading.BoundedSemaphore', 'threading.Semaphore');
typeAliases.set('multiprocessing.Condition', 'threading.Condition');
const WAIT = { instead: 'the asyncio primitive (asyncio.Lock, asyncio.Event, asyncio.Queue)' };
add('CL107', ['threading.Lock.acquire', 'threading.Semaphore.acquire'], 'to-thread', { ...WAIT, nonBlockingFlag: { keyword: 'blocking', pos: 0 } });
add('CL107', ['threading.RLock.acquire'], 'none', {
  ...WAIT,
  nonBlockingFlag: { keyword: 'blocking', pos: 0 },
  noFixBecause: 'an RLock belongs to the thread that acquired it, so acquiring it in a worker thread would leave the coroutine unable to release it',
});
add('CL107', ['threading.Condition.acquire', 'threading.Condition.wait', 'threading.Condition.wait_for'], 'none', {
  ...WAIT,
  noFixBecause: "a Condition's lock must be held by the thread that waits on it; use asyncio.Condition if only coroutines share it",
});
add('CL107', ['threading.Event.wait', 'threading.Barrier.wait', 'threading.Thread.join', 'multiprocessing.Process.join'], 'to-thread', WAIT);
for (const q of ['queue.Queue', 'queue.LifoQueue', 'queue.PriorityQueue', 'queue.SimpleQueue', 'multiprocessing.Queue', 'multiprocessing.JoinableQueue', 'multiprocessing.SimpleQueue']) {
  ret(q, q);
  if (q !== 'queue.Queue') typeAliases.set(q, 'queue.Queue');
}
add('CL107', ['queue.Queue.get'], 'to-thread', { instead: 'asyncio.Queue', nonBlockingFlag: { keyword: 'block', pos: 0 } });
add('CL107', ['queue.Queue.put'], 'to-thread', { instead: 'asyncio.Queue', nonBlockingFlag: { keyword: 'block', pos: 1 } });
add('CL107', ['queue.Queue.join'], 'to-thread', { instead: 'asyncio.Queue' });
for (const ex of ['ThreadPoolExecutor', 'ProcessPoolExecutor']) {
  ret(`concurrent.futures.${ex}`, `concurrent.futures.${ex}`, `concurrent.futures.thread.${ex}`, `concurrent.futures.process.${ex}`);
  ret('concurrent.futures.Future', `concurrent.futures.${ex}.submit`);
  add('CL107', [`concurrent.futures.${ex}.shutdown`], 'to-thread', { nonBlockingFlag: { keyword: 'wait', pos: 0 } });
}
ret('concurrent.futures.Future', 'concurrent.futures.Future', 'asyncio.run_coroutine_threadsafe');
add('CL107', ['concurrent.futures.Future.result'], 'wrap-future', { instead: 'await asyncio.wrap_future(future)' });
add('CL107', ['concurrent.futures.Future.exception'], 'to-thread', { instead: 'await asyncio.wrap_future(future) inside try/except' });
add('CL107', ['concurrent.futures.wait'], 'to-thread', { instead: 'asyncio.wait on wrapped futures' });
add('CL107', ['concurrent.futures.as_completed'], 'none', {
  instead: 'asyncio.as_completed on wrapped futures',
  noFixBecause: 'the waiting happens while the returned iterator is consumed, so running the call itself in a thread would not help',
});
ret('multiprocessing.pool.Pool', 'multiprocessing.Pool', 'multiprocessing.pool.Pool', 'multiprocessing.pool.ThreadPool', 'multiprocessing.dummy.Pool');
add('CL107', each('multiprocessing.pool.Pool', 'map starmap apply join'), 'to-thread', { instead: 'loop.run_in_executor with a ProcessPoolExecutor' });
add('CL107', each('multiprocessing.pool.Pool', 'imap imap_unordered'), 'none', {
  instead: 'loop.run_in_executor with a ProcessPoolExecutor',
  noFixBecause: 'the waiting happens while the returned iterator is consumed, so running the call itself in a thread would not help',
});
ret('multiprocessing.pool.AsyncResult', 'multiprocessing.pool.Pool.apply_async', 'multiprocessing.pool.Pool.map_async', 'multiprocessing.pool.Pool.starmap_async');
add('CL107', each('multiprocessing.pool.AsyncResult', 'get wait'), 'to-thread');
add('CL107', ['multiprocessing.connection.Connection.recv', 'multiprocessing.connection.Connection.recv_bytes', 'multiprocessing.connection.Connection.poll'], 'to-thread');
ret('multiprocessing.connection.Connection', 'multiprocessing.Pipe');

// CL110 — starting an event loop from inside one
add('CL110', ['asyncio.run', 'asyncio.AbstractEventLoop.run_until_complete', 'asyncio.AbstractEventLoop.run_forever', 'trio.run', 'anyio.run', 'asyncio.Runner.run'], 'none');
ret('asyncio.AbstractEventLoop', 'asyncio.get_event_loop', 'asyncio.new_event_loop', 'asyncio.get_running_loop', 'asyncio.events.get_event_loop', 'asyncio.AbstractEventLoop');
for (const t of ['asyncio.BaseEventLoop', 'asyncio.SelectorEventLoop', 'asyncio.ProactorEventLoop', 'uvloop.Loop']) typeAliases.set(t, 'asyncio.AbstractEventLoop');
ret('asyncio.AbstractEventLoop', 'uvloop.new_event_loop');
ret('asyncio.Runner', 'asyncio.Runner');

// Other blocking calls that fit CL104 (they read files).
add('CL104', ['importlib.import_module'], 'to-thread');
add('CL104', each('ssl.SSLContext', 'load_default_certs load_verify_locations load_cert_chain set_default_verify_paths'), 'to-thread');
ret('ssl.SSLContext', 'ssl.SSLContext', 'ssl.create_default_context');

// Hash and compression objects: their methods run native code that releases the GIL on
// large inputs (the workload classifier reads `hashlib.`/`zlib.` names as thread-friendly).
ret('hashlib.HASH', ...each('hashlib', 'new md5 sha1 sha224 sha256 sha384 sha512 sha3_224 sha3_256 sha3_384 sha3_512 blake2b blake2s shake_128 shake_256 file_digest'));
ret('zlib.Compress', 'zlib.compressobj');
ret('zlib.Decompress', 'zlib.decompressobj');
ret('bz2.BZ2Compressor', 'bz2.BZ2Compressor');
ret('lzma.LZMACompressor', 'lzma.LZMACompressor');

/** Attributes (properties) of known types that hold another known type. */
const attributeTypes = new Map<string, string>([
  ['pathlib.Path.parent', 'pathlib.Path'],
  ['subprocess.Popen.stdout', FILE],
  ['subprocess.Popen.stderr', FILE],
  ['subprocess.Popen.stdin', FILE],
]);

export function attributeType(qname: string): string | undefined {
  return attributeTypes.get(qname);
}

/** Top-level module names that appear in the catalogue: an unbound use of one is taken to be the module. */
export const KNOWN_MODULES: ReadonlySet<string> = new Set(
  [...catalogue.keys(), ...returns.keys()].map((n) => n.split('.')[0]).filter((m) => m !== 'builtins'),
);

/** A dotted name in a module the catalogue knows (`time.sleep`, `requests.get`): library code, not the project's. */
export function isLibraryName(qname: string): boolean {
  const dot = qname.indexOf('.');
  return dot > 0 && KNOWN_MODULES.has(qname.slice(0, dot));
}

export function canonicalType(type: string): string {
  return typeAliases.get(type) ?? type;
}

export function returnedType(callable: string): string | undefined {
  const t = returns.get(callable);
  return t === undefined ? undefined : canonicalType(t);
}

export interface CatalogueHit {
  name: string;
  entry: BlockingEntry;
}

/** Looks up a resolved callable name, including methods of types whose every method blocks. */
export function lookupBlocking(name: string, extra?: ReadonlyMap<string, BlockingEntry>): CatalogueHit | undefined {
  const direct = extra?.get(name) ?? catalogue.get(name);
  if (direct) return { name, entry: direct };
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const type = name.slice(0, dot);
    const method = name.slice(dot + 1);
    const all = allMethods.get(type);
    if (all && !all.except.has(method) && !method.startsWith('_')) {
      return { name, entry: { code: all.code, fix: 'to-thread', instead: all.instead, unsafeBecause: all.unsafeBecause } };
    }
  }
  return undefined;
}

let knownTypes: Set<string> | undefined;

/**
 * Whether `qname` is a method of a type the catalogue describes (`threading.Thread.start`).
 * For those the catalogue is the authority: a method it does not list is not treated as
 * blocking, even when the type's own source happens to be part of the analysed project.
 */
export function isMethodOfKnownType(qname: string): boolean {
  knownTypes ??= new Set([...returns.values(), ...typeAliases.keys(), ...typeAliases.values(), ...allMethods.keys()]);
  const dot = qname.lastIndexOf('.');
  return dot > 0 && knownTypes.has(canonicalType(qname.slice(0, dot)));
}

/** Members of a module listed in the catalogue (for `from m import *`). */
export function isCatalogueMember(qname: string): boolean {
  return catalogue.has(qname) || returns.has(qname);
}

/** Types that are waitable thread/process locks: `with lock:` blocks on them. */
export const LOCK_TYPES: ReadonlySet<string> = new Set(['threading.Lock', 'threading.RLock', 'threading.Semaphore', 'threading.Condition']);
