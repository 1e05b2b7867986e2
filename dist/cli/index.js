#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 3964:
/***/ ((module) => {



module.exports = clone

var getPrototypeOf = Object.getPrototypeOf || function (obj) {
  return obj.__proto__
}

function clone (obj) {
  if (obj === null || typeof obj !== 'object')
    return obj

  if (obj instanceof Object)
    var copy = { __proto__: getPrototypeOf(obj) }
  else
    var copy = Object.create(null)

  Object.getOwnPropertyNames(obj).forEach(function (key) {
    Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(obj, key))
  })

  return copy
}


/***/ }),

/***/ 5744:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

var fs = __nccwpck_require__(9896)
var polyfills = __nccwpck_require__(3501)
var legacy = __nccwpck_require__(2270)
var clone = __nccwpck_require__(3964)

var util = __nccwpck_require__(9023)

/* istanbul ignore next - node 0.x polyfill */
var gracefulQueue
var previousSymbol

/* istanbul ignore else - node 0.x polyfill */
if (typeof Symbol === 'function' && typeof Symbol.for === 'function') {
  gracefulQueue = Symbol.for('graceful-fs.queue')
  // This is used in testing by future versions
  previousSymbol = Symbol.for('graceful-fs.previous')
} else {
  gracefulQueue = '___graceful-fs.queue'
  previousSymbol = '___graceful-fs.previous'
}

function noop () {}

function publishQueue(context, queue) {
  Object.defineProperty(context, gracefulQueue, {
    get: function() {
      return queue
    }
  })
}

var debug = noop
if (util.debuglog)
  debug = util.debuglog('gfs4')
else if (/\bgfs4\b/i.test(process.env.NODE_DEBUG || ''))
  debug = function() {
    var m = util.format.apply(util, arguments)
    m = 'GFS4: ' + m.split(/\n/).join('\nGFS4: ')
    console.error(m)
  }

// Once time initialization
if (!fs[gracefulQueue]) {
  // This queue can be shared by multiple loaded instances
  var queue = global[gracefulQueue] || []
  publishQueue(fs, queue)

  // Patch fs.close/closeSync to shared queue version, because we need
  // to retry() whenever a close happens *anywhere* in the program.
  // This is essential when multiple graceful-fs instances are
  // in play at the same time.
  fs.close = (function (fs$close) {
    function close (fd, cb) {
      return fs$close.call(fs, fd, function (err) {
        // This function uses the graceful-fs shared queue
        if (!err) {
          resetQueue()
        }

        if (typeof cb === 'function')
          cb.apply(this, arguments)
      })
    }

    Object.defineProperty(close, previousSymbol, {
      value: fs$close
    })
    return close
  })(fs.close)

  fs.closeSync = (function (fs$closeSync) {
    function closeSync (fd) {
      // This function uses the graceful-fs shared queue
      fs$closeSync.apply(fs, arguments)
      resetQueue()
    }

    Object.defineProperty(closeSync, previousSymbol, {
      value: fs$closeSync
    })
    return closeSync
  })(fs.closeSync)

  if (/\bgfs4\b/i.test(process.env.NODE_DEBUG || '')) {
    process.on('exit', function() {
      debug(fs[gracefulQueue])
      __nccwpck_require__(2613).equal(fs[gracefulQueue].length, 0)
    })
  }
}

if (!global[gracefulQueue]) {
  publishQueue(global, fs[gracefulQueue]);
}

module.exports = patch(clone(fs))
if (process.env.TEST_GRACEFUL_FS_GLOBAL_PATCH && !fs.__patched) {
    module.exports = patch(fs)
    fs.__patched = true;
}

function patch (fs) {
  // Everything that references the open() function needs to be in here
  polyfills(fs)
  fs.gracefulify = patch

  fs.createReadStream = createReadStream
  fs.createWriteStream = createWriteStream
  var fs$readFile = fs.readFile
  fs.readFile = readFile
  function readFile (path, options, cb) {
    if (typeof options === 'function')
      cb = options, options = null

    return go$readFile(path, options, cb)

    function go$readFile (path, options, cb, startTime) {
      return fs$readFile(path, options, function (err) {
        if (err && (err.code === 'EMFILE' || err.code === 'ENFILE'))
          enqueue([go$readFile, [path, options, cb], err, startTime || Date.now(), Date.now()])
        else {
          if (typeof cb === 'function')
            cb.apply(this, arguments)
        }
      })
    }
  }

  var fs$writeFile = fs.writeFile
  fs.writeFile = writeFile
  function writeFile (path, data, options, cb) {
    if (typeof options === 'function')
      cb = options, options = null

    return go$writeFile(path, data, options, cb)

    function go$writeFile (path, data, options, cb, startTime) {
      return fs$writeFile(path, data, options, function (err) {
        if (err && (err.code === 'EMFILE' || err.code === 'ENFILE'))
          enqueue([go$writeFile, [path, data, options, cb], err, startTime || Date.now(), Date.now()])
        else {
          if (typeof cb === 'function')
            cb.apply(this, arguments)
        }
      })
    }
  }

  var fs$appendFile = fs.appendFile
  if (fs$appendFile)
    fs.appendFile = appendFile
  function appendFile (path, data, options, cb) {
    if (typeof options === 'function')
      cb = options, options = null

    return go$appendFile(path, data, options, cb)

    function go$appendFile (path, data, options, cb, startTime) {
      return fs$appendFile(path, data, options, function (err) {
        if (err && (err.code === 'EMFILE' || err.code === 'ENFILE'))
          enqueue([go$appendFile, [path, data, options, cb], err, startTime || Date.now(), Date.now()])
        else {
          if (typeof cb === 'function')
            cb.apply(this, arguments)
        }
      })
    }
  }

  var fs$copyFile = fs.copyFile
  if (fs$copyFile)
    fs.copyFile = copyFile
  function copyFile (src, dest, flags, cb) {
    if (typeof flags === 'function') {
      cb = flags
      flags = 0
    }
    return go$copyFile(src, dest, flags, cb)

    function go$copyFile (src, dest, flags, cb, startTime) {
      return fs$copyFile(src, dest, flags, function (err) {
        if (err && (err.code === 'EMFILE' || err.code === 'ENFILE'))
          enqueue([go$copyFile, [src, dest, flags, cb], err, startTime || Date.now(), Date.now()])
        else {
          if (typeof cb === 'function')
            cb.apply(this, arguments)
        }
      })
    }
  }

  var fs$readdir = fs.readdir
  fs.readdir = readdir
  var noReaddirOptionVersions = /^v[0-5]\./
  function readdir (path, options, cb) {
    if (typeof options === 'function')
      cb = options, options = null

    var go$readdir = noReaddirOptionVersions.test(process.version)
      ? function go$readdir (path, options, cb, startTime) {
        return fs$readdir(path, fs$readdirCallback(
          path, options, cb, startTime
        ))
      }
      : function go$readdir (path, options, cb, startTime) {
        return fs$readdir(path, options, fs$readdirCallback(
          path, options, cb, startTime
        ))
      }

    return go$readdir(path, options, cb)

    function fs$readdirCallback (path, options, cb, startTime) {
      return function (err, files) {
        if (err && (err.code === 'EMFILE' || err.code === 'ENFILE'))
          enqueue([
            go$readdir,
            [path, options, cb],
            err,
            startTime || Date.now(),
            Date.now()
          ])
        else {
          if (files && files.sort)
            files.sort()

          if (typeof cb === 'function')
            cb.call(this, err, files)
        }
      }
    }
  }

  if (process.version.substr(0, 4) === 'v0.8') {
    var legStreams = legacy(fs)
    ReadStream = legStreams.ReadStream
    WriteStream = legStreams.WriteStream
  }

  var fs$ReadStream = fs.ReadStream
  if (fs$ReadStream) {
    ReadStream.prototype = Object.create(fs$ReadStream.prototype)
    ReadStream.prototype.open = ReadStream$open
  }

  var fs$WriteStream = fs.WriteStream
  if (fs$WriteStream) {
    WriteStream.prototype = Object.create(fs$WriteStream.prototype)
    WriteStream.prototype.open = WriteStream$open
  }

  Object.defineProperty(fs, 'ReadStream', {
    get: function () {
      return ReadStream
    },
    set: function (val) {
      ReadStream = val
    },
    enumerable: true,
    configurable: true
  })
  Object.defineProperty(fs, 'WriteStream', {
    get: function () {
      return WriteStream
    },
    set: function (val) {
      WriteStream = val
    },
    enumerable: true,
    configurable: true
  })

  // legacy names
  var FileReadStream = ReadStream
  Object.defineProperty(fs, 'FileReadStream', {
    get: function () {
      return FileReadStream
    },
    set: function (val) {
      FileReadStream = val
    },
    enumerable: true,
    configurable: true
  })
  var FileWriteStream = WriteStream
  Object.defineProperty(fs, 'FileWriteStream', {
    get: function () {
      return FileWriteStream
    },
    set: function (val) {
      FileWriteStream = val
    },
    enumerable: true,
    configurable: true
  })

  function ReadStream (path, options) {
    if (this instanceof ReadStream)
      return fs$ReadStream.apply(this, arguments), this
    else
      return ReadStream.apply(Object.create(ReadStream.prototype), arguments)
  }

  function ReadStream$open () {
    var that = this
    open(that.path, that.flags, that.mode, function (err, fd) {
      if (err) {
        if (that.autoClose)
          that.destroy()

        that.emit('error', err)
      } else {
        that.fd = fd
        that.emit('open', fd)
        that.read()
      }
    })
  }

  function WriteStream (path, options) {
    if (this instanceof WriteStream)
      return fs$WriteStream.apply(this, arguments), this
    else
      return WriteStream.apply(Object.create(WriteStream.prototype), arguments)
  }

  function WriteStream$open () {
    var that = this
    open(that.path, that.flags, that.mode, function (err, fd) {
      if (err) {
        that.destroy()
        that.emit('error', err)
      } else {
        that.fd = fd
        that.emit('open', fd)
      }
    })
  }

  function createReadStream (path, options) {
    return new fs.ReadStream(path, options)
  }

  function createWriteStream (path, options) {
    return new fs.WriteStream(path, options)
  }

  var fs$open = fs.open
  fs.open = open
  function open (path, flags, mode, cb) {
    if (typeof mode === 'function')
      cb = mode, mode = null

    return go$open(path, flags, mode, cb)

    function go$open (path, flags, mode, cb, startTime) {
      return fs$open(path, flags, mode, function (err, fd) {
        if (err && (err.code === 'EMFILE' || err.code === 'ENFILE'))
          enqueue([go$open, [path, flags, mode, cb], err, startTime || Date.now(), Date.now()])
        else {
          if (typeof cb === 'function')
            cb.apply(this, arguments)
        }
      })
    }
  }

  return fs
}

function enqueue (elem) {
  debug('ENQUEUE', elem[0].name, elem[1])
  fs[gracefulQueue].push(elem)
  retry()
}

// keep track of the timeout between retry() calls
var retryTimer

// reset the startTime and lastTime to now
// this resets the start of the 60 second overall timeout as well as the
// delay between attempts so that we'll retry these jobs sooner
function resetQueue () {
  var now = Date.now()
  for (var i = 0; i < fs[gracefulQueue].length; ++i) {
    // entries that are only a length of 2 are from an older version, don't
    // bother modifying those since they'll be retried anyway.
    if (fs[gracefulQueue][i].length > 2) {
      fs[gracefulQueue][i][3] = now // startTime
      fs[gracefulQueue][i][4] = now // lastTime
    }
  }
  // call retry to make sure we're actively processing the queue
  retry()
}

function retry () {
  // clear the timer and remove it to help prevent unintended concurrency
  clearTimeout(retryTimer)
  retryTimer = undefined

  if (fs[gracefulQueue].length === 0)
    return

  var elem = fs[gracefulQueue].shift()
  var fn = elem[0]
  var args = elem[1]
  // these items may be unset if they were added by an older graceful-fs
  var err = elem[2]
  var startTime = elem[3]
  var lastTime = elem[4]

  // if we don't have a startTime we have no way of knowing if we've waited
  // long enough, so go ahead and retry this item now
  if (startTime === undefined) {
    debug('RETRY', fn.name, args)
    fn.apply(null, args)
  } else if (Date.now() - startTime >= 60000) {
    // it's been more than 60 seconds total, bail now
    debug('TIMEOUT', fn.name, args)
    var cb = args.pop()
    if (typeof cb === 'function')
      cb.call(null, err)
  } else {
    // the amount of time between the last attempt and right now
    var sinceAttempt = Date.now() - lastTime
    // the amount of time between when we first tried, and when we last tried
    // rounded up to at least 1
    var sinceStart = Math.max(lastTime - startTime, 1)
    // backoff. wait longer than the total time we've been retrying, but only
    // up to a maximum of 100ms
    var desiredDelay = Math.min(sinceStart * 1.2, 100)
    // it's been long enough since the last retry, do it again
    if (sinceAttempt >= desiredDelay) {
      debug('RETRY', fn.name, args)
      fn.apply(null, args.concat([startTime]))
    } else {
      // if we can't do this job yet, push it to the end of the queue
      // and let the next iteration check again
      fs[gracefulQueue].push(elem)
    }
  }

  // schedule our next run if one isn't already scheduled
  if (retryTimer === undefined) {
    retryTimer = setTimeout(retry, 0)
  }
}


/***/ }),

/***/ 2270:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

var Stream = (__nccwpck_require__(2203).Stream)

module.exports = legacy

function legacy (fs) {
  return {
    ReadStream: ReadStream,
    WriteStream: WriteStream
  }

  function ReadStream (path, options) {
    if (!(this instanceof ReadStream)) return new ReadStream(path, options);

    Stream.call(this);

    var self = this;

    this.path = path;
    this.fd = null;
    this.readable = true;
    this.paused = false;

    this.flags = 'r';
    this.mode = 438; /*=0666*/
    this.bufferSize = 64 * 1024;

    options = options || {};

    // Mixin options into this
    var keys = Object.keys(options);
    for (var index = 0, length = keys.length; index < length; index++) {
      var key = keys[index];
      this[key] = options[key];
    }

    if (this.encoding) this.setEncoding(this.encoding);

    if (this.start !== undefined) {
      if ('number' !== typeof this.start) {
        throw TypeError('start must be a Number');
      }
      if (this.end === undefined) {
        this.end = Infinity;
      } else if ('number' !== typeof this.end) {
        throw TypeError('end must be a Number');
      }

      if (this.start > this.end) {
        throw new Error('start must be <= end');
      }

      this.pos = this.start;
    }

    if (this.fd !== null) {
      process.nextTick(function() {
        self._read();
      });
      return;
    }

    fs.open(this.path, this.flags, this.mode, function (err, fd) {
      if (err) {
        self.emit('error', err);
        self.readable = false;
        return;
      }

      self.fd = fd;
      self.emit('open', fd);
      self._read();
    })
  }

  function WriteStream (path, options) {
    if (!(this instanceof WriteStream)) return new WriteStream(path, options);

    Stream.call(this);

    this.path = path;
    this.fd = null;
    this.writable = true;

    this.flags = 'w';
    this.encoding = 'binary';
    this.mode = 438; /*=0666*/
    this.bytesWritten = 0;

    options = options || {};

    // Mixin options into this
    var keys = Object.keys(options);
    for (var index = 0, length = keys.length; index < length; index++) {
      var key = keys[index];
      this[key] = options[key];
    }

    if (this.start !== undefined) {
      if ('number' !== typeof this.start) {
        throw TypeError('start must be a Number');
      }
      if (this.start < 0) {
        throw new Error('start must be >= zero');
      }

      this.pos = this.start;
    }

    this.busy = false;
    this._queue = [];

    if (this.fd === null) {
      this._open = fs.open;
      this._queue.push([this._open, this.path, this.flags, this.mode, undefined]);
      this.flush();
    }
  }
}


/***/ }),

/***/ 3501:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

var constants = __nccwpck_require__(9140)

var origCwd = process.cwd
var cwd = null

var platform = process.env.GRACEFUL_FS_PLATFORM || process.platform

process.cwd = function() {
  if (!cwd)
    cwd = origCwd.call(process)
  return cwd
}
try {
  process.cwd()
} catch (er) {}

// This check is needed until node.js 12 is required
if (typeof process.chdir === 'function') {
  var chdir = process.chdir
  process.chdir = function (d) {
    cwd = null
    chdir.call(process, d)
  }
  if (Object.setPrototypeOf) Object.setPrototypeOf(process.chdir, chdir)
}

module.exports = patch

function patch (fs) {
  // (re-)implement some things that are known busted or missing.

  // lchmod, broken prior to 0.6.2
  // back-port the fix here.
  if (constants.hasOwnProperty('O_SYMLINK') &&
      process.version.match(/^v0\.6\.[0-2]|^v0\.5\./)) {
    patchLchmod(fs)
  }

  // lutimes implementation, or no-op
  if (!fs.lutimes) {
    patchLutimes(fs)
  }

  // https://github.com/isaacs/node-graceful-fs/issues/4
  // Chown should not fail on einval or eperm if non-root.
  // It should not fail on enosys ever, as this just indicates
  // that a fs doesn't support the intended operation.

  fs.chown = chownFix(fs.chown)
  fs.fchown = chownFix(fs.fchown)
  fs.lchown = chownFix(fs.lchown)

  fs.chmod = chmodFix(fs.chmod)
  fs.fchmod = chmodFix(fs.fchmod)
  fs.lchmod = chmodFix(fs.lchmod)

  fs.chownSync = chownFixSync(fs.chownSync)
  fs.fchownSync = chownFixSync(fs.fchownSync)
  fs.lchownSync = chownFixSync(fs.lchownSync)

  fs.chmodSync = chmodFixSync(fs.chmodSync)
  fs.fchmodSync = chmodFixSync(fs.fchmodSync)
  fs.lchmodSync = chmodFixSync(fs.lchmodSync)

  fs.stat = statFix(fs.stat)
  fs.fstat = statFix(fs.fstat)
  fs.lstat = statFix(fs.lstat)

  fs.statSync = statFixSync(fs.statSync)
  fs.fstatSync = statFixSync(fs.fstatSync)
  fs.lstatSync = statFixSync(fs.lstatSync)

  // if lchmod/lchown do not exist, then make them no-ops
  if (fs.chmod && !fs.lchmod) {
    fs.lchmod = function (path, mode, cb) {
      if (cb) process.nextTick(cb)
    }
    fs.lchmodSync = function () {}
  }
  if (fs.chown && !fs.lchown) {
    fs.lchown = function (path, uid, gid, cb) {
      if (cb) process.nextTick(cb)
    }
    fs.lchownSync = function () {}
  }

  // on Windows, A/V software can lock the directory, causing this
  // to fail with an EACCES or EPERM if the directory contains newly
  // created files.  Try again on failure, for up to 60 seconds.

  // Set the timeout this long because some Windows Anti-Virus, such as Parity
  // bit9, may lock files for up to a minute, causing npm package install
  // failures. Also, take care to yield the scheduler. Windows scheduling gives
  // CPU to a busy looping process, which can cause the program causing the lock
  // contention to be starved of CPU by node, so the contention doesn't resolve.
  if (platform === "win32") {
    fs.rename = typeof fs.rename !== 'function' ? fs.rename
    : (function (fs$rename) {
      function rename (from, to, cb) {
        var start = Date.now()
        var backoff = 0;
        fs$rename(from, to, function CB (er) {
          if (er
              && (er.code === "EACCES" || er.code === "EPERM" || er.code === "EBUSY")
              && Date.now() - start < 60000) {
            setTimeout(function() {
              fs.stat(to, function (stater, st) {
                if (stater && stater.code === "ENOENT")
                  fs$rename(from, to, CB);
                else
                  cb(er)
              })
            }, backoff)
            if (backoff < 100)
              backoff += 10;
            return;
          }
          if (cb) cb(er)
        })
      }
      if (Object.setPrototypeOf) Object.setPrototypeOf(rename, fs$rename)
      return rename
    })(fs.rename)
  }

  // if read() returns EAGAIN, then just try it again.
  fs.read = typeof fs.read !== 'function' ? fs.read
  : (function (fs$read) {
    function read (fd, buffer, offset, length, position, callback_) {
      var callback
      if (callback_ && typeof callback_ === 'function') {
        var eagCounter = 0
        callback = function (er, _, __) {
          if (er && er.code === 'EAGAIN' && eagCounter < 10) {
            eagCounter ++
            return fs$read.call(fs, fd, buffer, offset, length, position, callback)
          }
          callback_.apply(this, arguments)
        }
      }
      return fs$read.call(fs, fd, buffer, offset, length, position, callback)
    }

    // This ensures `util.promisify` works as it does for native `fs.read`.
    if (Object.setPrototypeOf) Object.setPrototypeOf(read, fs$read)
    return read
  })(fs.read)

  fs.readSync = typeof fs.readSync !== 'function' ? fs.readSync
  : (function (fs$readSync) { return function (fd, buffer, offset, length, position) {
    var eagCounter = 0
    while (true) {
      try {
        return fs$readSync.call(fs, fd, buffer, offset, length, position)
      } catch (er) {
        if (er.code === 'EAGAIN' && eagCounter < 10) {
          eagCounter ++
          continue
        }
        throw er
      }
    }
  }})(fs.readSync)

  function patchLchmod (fs) {
    fs.lchmod = function (path, mode, callback) {
      fs.open( path
             , constants.O_WRONLY | constants.O_SYMLINK
             , mode
             , function (err, fd) {
        if (err) {
          if (callback) callback(err)
          return
        }
        // prefer to return the chmod error, if one occurs,
        // but still try to close, and report closing errors if they occur.
        fs.fchmod(fd, mode, function (err) {
          fs.close(fd, function(err2) {
            if (callback) callback(err || err2)
          })
        })
      })
    }

    fs.lchmodSync = function (path, mode) {
      var fd = fs.openSync(path, constants.O_WRONLY | constants.O_SYMLINK, mode)

      // prefer to return the chmod error, if one occurs,
      // but still try to close, and report closing errors if they occur.
      var threw = true
      var ret
      try {
        ret = fs.fchmodSync(fd, mode)
        threw = false
      } finally {
        if (threw) {
          try {
            fs.closeSync(fd)
          } catch (er) {}
        } else {
          fs.closeSync(fd)
        }
      }
      return ret
    }
  }

  function patchLutimes (fs) {
    if (constants.hasOwnProperty("O_SYMLINK") && fs.futimes) {
      fs.lutimes = function (path, at, mt, cb) {
        fs.open(path, constants.O_SYMLINK, function (er, fd) {
          if (er) {
            if (cb) cb(er)
            return
          }
          fs.futimes(fd, at, mt, function (er) {
            fs.close(fd, function (er2) {
              if (cb) cb(er || er2)
            })
          })
        })
      }

      fs.lutimesSync = function (path, at, mt) {
        var fd = fs.openSync(path, constants.O_SYMLINK)
        var ret
        var threw = true
        try {
          ret = fs.futimesSync(fd, at, mt)
          threw = false
        } finally {
          if (threw) {
            try {
              fs.closeSync(fd)
            } catch (er) {}
          } else {
            fs.closeSync(fd)
          }
        }
        return ret
      }

    } else if (fs.futimes) {
      fs.lutimes = function (_a, _b, _c, cb) { if (cb) process.nextTick(cb) }
      fs.lutimesSync = function () {}
    }
  }

  function chmodFix (orig) {
    if (!orig) return orig
    return function (target, mode, cb) {
      return orig.call(fs, target, mode, function (er) {
        if (chownErOk(er)) er = null
        if (cb) cb.apply(this, arguments)
      })
    }
  }

  function chmodFixSync (orig) {
    if (!orig) return orig
    return function (target, mode) {
      try {
        return orig.call(fs, target, mode)
      } catch (er) {
        if (!chownErOk(er)) throw er
      }
    }
  }


  function chownFix (orig) {
    if (!orig) return orig
    return function (target, uid, gid, cb) {
      return orig.call(fs, target, uid, gid, function (er) {
        if (chownErOk(er)) er = null
        if (cb) cb.apply(this, arguments)
      })
    }
  }

  function chownFixSync (orig) {
    if (!orig) return orig
    return function (target, uid, gid) {
      try {
        return orig.call(fs, target, uid, gid)
      } catch (er) {
        if (!chownErOk(er)) throw er
      }
    }
  }

  function statFix (orig) {
    if (!orig) return orig
    // Older versions of Node erroneously returned signed integers for
    // uid + gid.
    return function (target, options, cb) {
      if (typeof options === 'function') {
        cb = options
        options = null
      }
      function callback (er, stats) {
        if (stats) {
          if (stats.uid < 0) stats.uid += 0x100000000
          if (stats.gid < 0) stats.gid += 0x100000000
        }
        if (cb) cb.apply(this, arguments)
      }
      return options ? orig.call(fs, target, options, callback)
        : orig.call(fs, target, callback)
    }
  }

  function statFixSync (orig) {
    if (!orig) return orig
    // Older versions of Node erroneously returned signed integers for
    // uid + gid.
    return function (target, options) {
      var stats = options ? orig.call(fs, target, options)
        : orig.call(fs, target)
      if (stats) {
        if (stats.uid < 0) stats.uid += 0x100000000
        if (stats.gid < 0) stats.gid += 0x100000000
      }
      return stats;
    }
  }

  // ENOSYS means that the fs doesn't support the op. Just ignore
  // that, because it doesn't matter.
  //
  // if there's no getuid, or if getuid() is something other
  // than 0, and the error is EINVAL or EPERM, then just ignore
  // it.
  //
  // This specific case is a silent failure in cp, install, tar,
  // and most other unix tools that manage permissions.
  //
  // When running as root, or if other types of errors are
  // encountered, then it's strict.
  function chownErOk (er) {
    if (!er)
      return true

    if (er.code === "ENOSYS")
      return true

    var nonroot = !process.getuid || process.getuid() !== 0
    if (nonroot) {
      if (er.code === "EINVAL" || er.code === "EPERM")
        return true
    }

    return false
  }
}


/***/ }),

/***/ 4006:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const pico = __nccwpck_require__(8016);
const utils = __nccwpck_require__(4059);

function picomatch(glob, options, returnState = false) {
  // default to os.platform()
  if (options && (options.windows === null || options.windows === undefined)) {
    // don't mutate the original options object
    options = { ...options, windows: utils.isWindows() };
  }

  return pico(glob, options, returnState);
}

Object.assign(picomatch, pico);
module.exports = picomatch;


/***/ }),

/***/ 5595:
/***/ ((module) => {



const WIN_SLASH = '\\\\/';
const WIN_NO_SLASH = `[^${WIN_SLASH}]`;

const DEFAULT_MAX_EXTGLOB_RECURSION = 0;

/**
 * Posix glob regex
 */

const DOT_LITERAL = '\\.';
const PLUS_LITERAL = '\\+';
const QMARK_LITERAL = '\\?';
const SLASH_LITERAL = '\\/';
const ONE_CHAR = '(?=.)';
const QMARK = '[^/]';
const END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
const START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
const DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
const NO_DOT = `(?!${DOT_LITERAL})`;
const NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
const NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
const NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
const QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
const STAR = `${QMARK}*?`;
const SEP = '/';

const POSIX_CHARS = {
  DOT_LITERAL,
  PLUS_LITERAL,
  QMARK_LITERAL,
  SLASH_LITERAL,
  ONE_CHAR,
  QMARK,
  END_ANCHOR,
  DOTS_SLASH,
  NO_DOT,
  NO_DOTS,
  NO_DOT_SLASH,
  NO_DOTS_SLASH,
  QMARK_NO_DOT,
  STAR,
  START_ANCHOR,
  SEP
};

/**
 * Windows glob regex
 */

const WINDOWS_CHARS = {
  ...POSIX_CHARS,

  SLASH_LITERAL: `[${WIN_SLASH}]`,
  QMARK: WIN_NO_SLASH,
  STAR: `${WIN_NO_SLASH}*?`,
  DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
  NO_DOT: `(?!${DOT_LITERAL})`,
  NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
  NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
  NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
  QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
  START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
  END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
  SEP: '\\'
};

/**
 * POSIX Bracket Regex
 */

const POSIX_REGEX_SOURCE = {
  __proto__: null,
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  ascii: '\\x00-\\x7F',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '\\x21-\\x7E',
  lower: 'a-z',
  print: '\\x20-\\x7E ',
  punct: '\\-!"#$%&\'()\\*+,./:;<=>?@[\\]^_`{|}~',
  space: ' \\t\\r\\n\\v\\f',
  upper: 'A-Z',
  word: 'A-Za-z0-9_',
  xdigit: 'A-Fa-f0-9'
};

module.exports = {
  DEFAULT_MAX_EXTGLOB_RECURSION,
  MAX_LENGTH: 1024 * 64,
  POSIX_REGEX_SOURCE,

  // regular expressions
  REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
  REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
  REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
  REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
  REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
  REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,

  // Replace globs with equivalent patterns to reduce parsing time.
  REPLACEMENTS: {
    __proto__: null,
    '***': '*',
    '**/**': '**',
    '**/**/**': '**'
  },

  // Digits
  CHAR_0: 48, /* 0 */
  CHAR_9: 57, /* 9 */

  // Alphabet chars.
  CHAR_UPPERCASE_A: 65, /* A */
  CHAR_LOWERCASE_A: 97, /* a */
  CHAR_UPPERCASE_Z: 90, /* Z */
  CHAR_LOWERCASE_Z: 122, /* z */

  CHAR_LEFT_PARENTHESES: 40, /* ( */
  CHAR_RIGHT_PARENTHESES: 41, /* ) */

  CHAR_ASTERISK: 42, /* * */

  // Non-alphabetic chars.
  CHAR_AMPERSAND: 38, /* & */
  CHAR_AT: 64, /* @ */
  CHAR_BACKWARD_SLASH: 92, /* \ */
  CHAR_CARRIAGE_RETURN: 13, /* \r */
  CHAR_CIRCUMFLEX_ACCENT: 94, /* ^ */
  CHAR_COLON: 58, /* : */
  CHAR_COMMA: 44, /* , */
  CHAR_DOT: 46, /* . */
  CHAR_DOUBLE_QUOTE: 34, /* " */
  CHAR_EQUAL: 61, /* = */
  CHAR_EXCLAMATION_MARK: 33, /* ! */
  CHAR_FORM_FEED: 12, /* \f */
  CHAR_FORWARD_SLASH: 47, /* / */
  CHAR_GRAVE_ACCENT: 96, /* ` */
  CHAR_HASH: 35, /* # */
  CHAR_HYPHEN_MINUS: 45, /* - */
  CHAR_LEFT_ANGLE_BRACKET: 60, /* < */
  CHAR_LEFT_CURLY_BRACE: 123, /* { */
  CHAR_LEFT_SQUARE_BRACKET: 91, /* [ */
  CHAR_LINE_FEED: 10, /* \n */
  CHAR_NO_BREAK_SPACE: 160, /* \u00A0 */
  CHAR_PERCENT: 37, /* % */
  CHAR_PLUS: 43, /* + */
  CHAR_QUESTION_MARK: 63, /* ? */
  CHAR_RIGHT_ANGLE_BRACKET: 62, /* > */
  CHAR_RIGHT_CURLY_BRACE: 125, /* } */
  CHAR_RIGHT_SQUARE_BRACKET: 93, /* ] */
  CHAR_SEMICOLON: 59, /* ; */
  CHAR_SINGLE_QUOTE: 39, /* ' */
  CHAR_SPACE: 32, /*   */
  CHAR_TAB: 9, /* \t */
  CHAR_UNDERSCORE: 95, /* _ */
  CHAR_VERTICAL_LINE: 124, /* | */
  CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279, /* \uFEFF */

  /**
   * Create EXTGLOB_CHARS
   */

  extglobChars(chars) {
    return {
      '!': { type: 'negate', open: '(?:(?!(?:', close: `))${chars.STAR})` },
      '?': { type: 'qmark', open: '(?:', close: ')?' },
      '+': { type: 'plus', open: '(?:', close: ')+' },
      '*': { type: 'star', open: '(?:', close: ')*' },
      '@': { type: 'at', open: '(?:', close: ')' }
    };
  },

  /**
   * Create GLOB_CHARS
   */

  globChars(win32) {
    return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
  }
};


/***/ }),

/***/ 8265:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const constants = __nccwpck_require__(5595);
const utils = __nccwpck_require__(4059);

/**
 * Constants
 */

const {
  MAX_LENGTH,
  POSIX_REGEX_SOURCE,
  REGEX_NON_SPECIAL_CHARS,
  REGEX_SPECIAL_CHARS_BACKREF,
  REPLACEMENTS
} = constants;

/**
 * Helpers
 */

const expandRange = (args, options) => {
  if (typeof options.expandRange === 'function') {
    return options.expandRange(...args, options);
  }

  args.sort();
  const value = `[${args.join('-')}]`;

  try {
    /* eslint-disable-next-line no-new */
    new RegExp(value);
  } catch (ex) {
    return args.map(v => utils.escapeRegex(v)).join('..');
  }

  return value;
};

/**
 * Create the message for a syntax error
 */

const syntaxError = (type, char) => {
  return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
};

const splitTopLevel = input => {
  const parts = [];
  let bracket = 0;
  let paren = 0;
  let quote = 0;
  let value = '';
  let escaped = false;

  for (const ch of input) {
    if (escaped === true) {
      value += ch;
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      value += ch;
      escaped = true;
      continue;
    }

    if (ch === '"') {
      quote = quote === 1 ? 0 : 1;
      value += ch;
      continue;
    }

    if (quote === 0) {
      if (ch === '[') {
        bracket++;
      } else if (ch === ']' && bracket > 0) {
        bracket--;
      } else if (bracket === 0) {
        if (ch === '(') {
          paren++;
        } else if (ch === ')' && paren > 0) {
          paren--;
        } else if (ch === '|' && paren === 0) {
          parts.push(value);
          value = '';
          continue;
        }
      }
    }

    value += ch;
  }

  parts.push(value);
  return parts;
};

const isPlainBranch = branch => {
  let escaped = false;

  for (const ch of branch) {
    if (escaped === true) {
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      escaped = true;
      continue;
    }

    if (/[?*+@!()[\]{}]/.test(ch)) {
      return false;
    }
  }

  return true;
};

const normalizeSimpleBranch = branch => {
  let value = branch.trim();
  let changed = true;

  while (changed === true) {
    changed = false;

    if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
      value = value.slice(2, -1);
      changed = true;
    }
  }

  if (!isPlainBranch(value)) {
    return;
  }

  return value.replace(/\\(.)/g, '$1');
};

const hasRepeatedCharPrefixOverlap = branches => {
  const values = branches.map(normalizeSimpleBranch).filter(Boolean);

  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const a = values[i];
      const b = values[j];
      const char = a[0];

      if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
        continue;
      }

      if (a === b || a.startsWith(b) || b.startsWith(a)) {
        return true;
      }
    }
  }

  return false;
};

const parseRepeatedExtglob = (pattern, requireEnd = true) => {
  if ((pattern[0] !== '+' && pattern[0] !== '*') || pattern[1] !== '(') {
    return;
  }

  let bracket = 0;
  let paren = 0;
  let quote = 0;
  let escaped = false;

  for (let i = 1; i < pattern.length; i++) {
    const ch = pattern[i];

    if (escaped === true) {
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      escaped = true;
      continue;
    }

    if (ch === '"') {
      quote = quote === 1 ? 0 : 1;
      continue;
    }

    if (quote === 1) {
      continue;
    }

    if (ch === '[') {
      bracket++;
      continue;
    }

    if (ch === ']' && bracket > 0) {
      bracket--;
      continue;
    }

    if (bracket > 0) {
      continue;
    }

    if (ch === '(') {
      paren++;
      continue;
    }

    if (ch === ')') {
      paren--;

      if (paren === 0) {
        if (requireEnd === true && i !== pattern.length - 1) {
          return;
        }

        return {
          type: pattern[0],
          body: pattern.slice(2, i),
          end: i
        };
      }
    }
  }
};

const buildCharClassStar = chars => {
  const source = chars.length === 1
    ? utils.escapeRegex(chars[0])
    : `[${chars.map(ch => utils.escapeRegex(ch)).join('')}]`;

  return `${source}*`;
};

const getStarExtglobSequenceChars = pattern => {
  let index = 0;
  const chars = [];

  while (index < pattern.length) {
    const match = parseRepeatedExtglob(pattern.slice(index), false);

    if (!match || match.type !== '*') {
      return;
    }

    const branches = splitTopLevel(match.body).map(branch => branch.trim());
    if (branches.length !== 1) {
      return;
    }

    const branch = normalizeSimpleBranch(branches[0]);
    if (!branch || branch.length !== 1) {
      return;
    }

    chars.push(branch);
    index += match.end + 1;
  }

  if (chars.length < 1) {
    return;
  }

  return chars;
};

const repeatedExtglobRecursion = pattern => {
  let depth = 0;
  let value = pattern.trim();
  let match = parseRepeatedExtglob(value);

  while (match) {
    depth++;
    value = match.body.trim();
    match = parseRepeatedExtglob(value);
  }

  return depth;
};

const analyzeRepeatedExtglob = (body, options) => {
  if (options.maxExtglobRecursion === false) {
    return { risky: false };
  }

  const max =
    typeof options.maxExtglobRecursion === 'number'
      ? options.maxExtglobRecursion
      : constants.DEFAULT_MAX_EXTGLOB_RECURSION;

  const branches = splitTopLevel(body).map(branch => branch.trim());

  if (branches.length > 1) {
    if (
      branches.some(branch => branch === '') ||
      branches.some(branch => /^[*?]+$/.test(branch)) ||
      hasRepeatedCharPrefixOverlap(branches)
    ) {
      return { risky: true };
    }
  }

  // A repeated extglob is "risky" (prone to catastrophic backtracking) when a
  // branch is itself a `*(...)` sequence, since that nests an unbounded quantifier
  // inside the outer `+(...)`/`*(...)`. When *every* branch reduces to single
  // characters we can emit one flat, ReDoS-safe character class that preserves the
  // meaning of ALL branches (e.g. `+(*(a)|*(b))` -> `[ab]*`), rather than dropping
  // every branch but the first.
  const safeChars = [];
  let sawStarSequence = false;
  let combinable = true;

  for (const branch of branches) {
    const chars = getStarExtglobSequenceChars(branch);
    if (chars) {
      sawStarSequence = true;
      safeChars.push(...chars);
      continue;
    }

    const literal = normalizeSimpleBranch(branch);
    if (literal && literal.length === 1) {
      safeChars.push(literal);
      continue;
    }

    combinable = false;

    if (repeatedExtglobRecursion(branch) > max) {
      return { risky: true };
    }
  }

  if (sawStarSequence) {
    return combinable
      ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) }
      : { risky: true };
  }

  return { risky: false };
};

/**
 * Parse the given input string.
 * @param {String} input
 * @param {Object} options
 * @return {Object}
 */

const parse = (input, options) => {
  if (typeof input !== 'string') {
    throw new TypeError('Expected a string');
  }

  input = REPLACEMENTS[input] || input;

  const opts = { ...options };
  const max = typeof opts.maxLength === 'number' ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;

  let len = input.length;
  if (len > max) {
    throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
  }

  const bos = { type: 'bos', value: '', output: opts.prepend || '' };
  const tokens = [bos];

  const capture = opts.capture ? '' : '?:';

  // create constants based on platform, for windows or posix
  const PLATFORM_CHARS = constants.globChars(opts.windows);
  const EXTGLOB_CHARS = constants.extglobChars(PLATFORM_CHARS);

  const {
    DOT_LITERAL,
    PLUS_LITERAL,
    SLASH_LITERAL,
    ONE_CHAR,
    DOTS_SLASH,
    NO_DOT,
    NO_DOT_SLASH,
    NO_DOTS_SLASH,
    QMARK,
    QMARK_NO_DOT,
    STAR,
    START_ANCHOR
  } = PLATFORM_CHARS;

  const globstar = opts => {
    return `(${capture}(?:(?!${START_ANCHOR}${opts.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
  };

  const nodot = opts.dot ? '' : NO_DOT;
  const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
  let star = opts.bash === true ? globstar(opts) : STAR;

  if (opts.capture) {
    star = `(${star})`;
  }

  // minimatch options support
  if (typeof opts.noext === 'boolean') {
    opts.noextglob = opts.noext;
  }

  const state = {
    input,
    index: -1,
    start: 0,
    dot: opts.dot === true,
    consumed: '',
    output: '',
    prefix: '',
    backtrack: false,
    negated: false,
    brackets: 0,
    braces: 0,
    parens: 0,
    quotes: 0,
    globstar: false,
    tokens
  };

  input = utils.removePrefix(input, state);
  len = input.length;

  const extglobs = [];
  const braces = [];
  const stack = [];
  let prev = bos;
  let value;

  /**
   * Tokenizing helpers
   */

  const eos = () => state.index === len - 1;
  const peek = state.peek = (n = 1) => input[state.index + n];
  const advance = state.advance = () => input[++state.index] || '';
  const remaining = () => input.slice(state.index + 1);
  const consume = (value = '', num = 0) => {
    state.consumed += value;
    state.index += num;
  };

  const append = token => {
    state.output += token.output != null ? token.output : token.value;
    consume(token.value);
  };

  const negate = () => {
    let count = 1;

    while (peek() === '!' && (peek(2) !== '(' || peek(3) === '?')) {
      advance();
      state.start++;
      count++;
    }

    if (count % 2 === 0) {
      return false;
    }

    state.negated = true;
    state.start++;
    return true;
  };

  const increment = type => {
    state[type]++;
    stack.push(type);
  };

  const decrement = type => {
    state[type]--;
    stack.pop();
  };

  /**
   * Push tokens onto the tokens array. This helper speeds up
   * tokenizing by 1) helping us avoid backtracking as much as possible,
   * and 2) helping us avoid creating extra tokens when consecutive
   * characters are plain text. This improves performance and simplifies
   * lookbehinds.
   */

  const push = tok => {
    if (prev.type === 'globstar') {
      const isBrace = state.braces > 0 && (tok.type === 'comma' || tok.type === 'brace');
      const isExtglob = tok.extglob === true || (extglobs.length && (tok.type === 'pipe' || tok.type === 'paren'));

      if (tok.type !== 'slash' && tok.type !== 'paren' && !isBrace && !isExtglob) {
        state.output = state.output.slice(0, -prev.output.length);
        prev.type = 'star';
        prev.value = '*';
        prev.output = star;
        state.output += prev.output;
      }
    }

    if (extglobs.length && tok.type !== 'paren') {
      extglobs[extglobs.length - 1].inner += tok.value;
    }

    if (tok.value || tok.output) append(tok);
    if (prev && prev.type === 'text' && tok.type === 'text') {
      prev.output = (prev.output || prev.value) + tok.value;
      prev.value += tok.value;
      return;
    }

    tok.prev = prev;
    tokens.push(tok);
    prev = tok;
  };

  const extglobOpen = (type, value) => {
    const token = { ...EXTGLOB_CHARS[value], conditions: 1, inner: '' };

    token.prev = prev;
    token.parens = state.parens;
    token.output = state.output;
    token.startIndex = state.index;
    token.tokensIndex = tokens.length;
    const output = (opts.capture ? '(' : '') + token.open;

    increment('parens');
    push({ type, value, output: state.output ? '' : ONE_CHAR });
    push({ type: 'paren', extglob: true, value: advance(), output });
    extglobs.push(token);
  };

  const extglobClose = token => {
    const literal = input.slice(token.startIndex, state.index + 1);
    const body = input.slice(token.startIndex + 2, state.index);
    const analysis = analyzeRepeatedExtglob(body, opts);

    if ((token.type === 'plus' || token.type === 'star') && analysis.risky) {
      const safeOutput = analysis.safeOutput
        ? (token.output ? '' : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput)
        : undefined;
      const open = tokens[token.tokensIndex];

      open.type = 'text';
      open.value = literal;
      open.output = safeOutput || utils.escapeRegex(literal);

      for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
        tokens[i].value = '';
        tokens[i].output = '';
        delete tokens[i].suffix;
      }

      state.output = token.output + open.output;
      state.backtrack = true;

      push({ type: 'paren', extglob: true, value, output: '' });
      decrement('parens');
      return;
    }

    let output = token.close + (opts.capture ? ')' : '');
    let rest;

    if (token.type === 'negate') {
      let extglobStar = star;

      if (token.inner && token.inner.length > 1 && token.inner.includes('/')) {
        extglobStar = globstar(opts);
      }

      if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
        output = token.close = `)$))${extglobStar}`;
      }

      if (token.inner.includes('*') && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
        // Any non-magical string (`.ts`) or even nested expression (`.{ts,tsx}`) can follow after the closing parenthesis.
        // In this case, we need to parse the string and use it in the output of the original pattern.
        // Suitable patterns: `/!(*.d).ts`, `/!(*.d).{ts,tsx}`, `**/!(*-dbg).@(js)`.
        //
        // Disabling the `fastpaths` option due to a problem with parsing strings as `.ts` in the pattern like `**/!(*.d).ts`.
        const expression = parse(rest, { ...options, fastpaths: false }).output;

        output = token.close = `)${expression})${extglobStar})`;
      }

      if (token.prev.type === 'bos') {
        state.negatedExtglob = true;
      }
    }

    push({ type: 'paren', extglob: true, value, output });
    decrement('parens');
  };

  /**
   * Fast paths
   */

  if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
    let backslashes = false;

    let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
      if (first === '\\') {
        backslashes = true;
        return m;
      }

      if (first === '?') {
        if (esc) {
          return esc + first + (rest ? QMARK.repeat(rest.length) : '');
        }
        if (index === 0) {
          return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : '');
        }
        return QMARK.repeat(chars.length);
      }

      if (first === '.') {
        return DOT_LITERAL.repeat(chars.length);
      }

      if (first === '*') {
        if (esc) {
          return esc + first + (rest ? star : '');
        }
        return star;
      }
      return esc ? m : `\\${m}`;
    });

    if (backslashes === true) {
      if (opts.unescape === true) {
        output = output.replace(/\\/g, '');
      } else {
        output = output.replace(/\\+/g, m => {
          return m.length % 2 === 0 ? '\\\\' : (m ? '\\' : '');
        });
      }
    }

    if (output === input && opts.contains === true) {
      state.output = input;
      return state;
    }

    state.output = utils.wrapOutput(output, state, options);
    return state;
  }

  /**
   * Tokenize input until we reach end-of-string
   */

  while (!eos()) {
    value = advance();

    if (value === '\u0000') {
      continue;
    }

    /**
     * Escaped characters
     */

    if (value === '\\') {
      const next = peek();

      if (next === '/' && opts.bash !== true) {
        continue;
      }

      if (next === '.' || next === ';') {
        continue;
      }

      if (!next) {
        value += '\\';
        push({ type: 'text', value });
        continue;
      }

      // collapse slashes to reduce potential for exploits
      const match = /^\\+/.exec(remaining());
      let slashes = 0;

      if (match && match[0].length > 2) {
        slashes = match[0].length;
        state.index += slashes;
        if (slashes % 2 !== 0) {
          value += '\\';
        }
      }

      if (opts.unescape === true) {
        value = advance();
      } else {
        value += advance();
      }

      if (state.brackets === 0) {
        push({ type: 'text', value });
        continue;
      }
    }

    /**
     * If we're inside a regex character class, continue
     * until we reach the closing bracket.
     */

    if (state.brackets > 0 && (value !== ']' || prev.value === '[' || prev.value === '[^')) {
      if (opts.posix !== false && value === ':') {
        const inner = prev.value.slice(1);
        if (inner.includes('[')) {
          prev.posix = true;

          if (inner.includes(':')) {
            const idx = prev.value.lastIndexOf('[');
            const pre = prev.value.slice(0, idx);
            const rest = prev.value.slice(idx + 2);
            const posix = POSIX_REGEX_SOURCE[rest];
            if (posix) {
              prev.value = pre + posix;
              state.backtrack = true;
              advance();

              if (!bos.output && tokens.indexOf(prev) === 1) {
                bos.output = ONE_CHAR;
              }
              continue;
            }
          }
        }
      }

      if ((value === '[' && peek() !== ':') || (value === '-' && peek() === ']')) {
        value = `\\${value}`;
      }

      if (value === ']' && (prev.value === '[' || prev.value === '[^')) {
        value = `\\${value}`;
      }

      if (opts.posix === true && value === '!' && prev.value === '[') {
        value = '^';
      }

      prev.value += value;
      append({ value });
      continue;
    }

    /**
     * If we're inside a quoted string, continue
     * until we reach the closing double quote.
     */

    if (state.quotes === 1 && value !== '"') {
      value = utils.escapeRegex(value);
      prev.value += value;
      append({ value });
      continue;
    }

    /**
     * Double quotes
     */

    if (value === '"') {
      state.quotes = state.quotes === 1 ? 0 : 1;
      if (opts.keepQuotes === true) {
        push({ type: 'text', value });
      }
      continue;
    }

    /**
     * Parentheses
     */

    if (value === '(') {
      increment('parens');
      push({ type: 'paren', value });
      continue;
    }

    if (value === ')') {
      if (state.parens === 0 && opts.strictBrackets === true) {
        throw new SyntaxError(syntaxError('opening', '('));
      }

      const extglob = extglobs[extglobs.length - 1];
      if (extglob && state.parens === extglob.parens + 1) {
        extglobClose(extglobs.pop());
        continue;
      }

      push({ type: 'paren', value, output: state.parens ? ')' : '\\)' });
      decrement('parens');
      continue;
    }

    /**
     * Square brackets
     */

    if (value === '[') {
      if (opts.nobracket === true || !remaining().includes(']')) {
        if (opts.nobracket !== true && opts.strictBrackets === true) {
          throw new SyntaxError(syntaxError('closing', ']'));
        }

        value = `\\${value}`;
      } else {
        increment('brackets');
      }

      push({ type: 'bracket', value });
      continue;
    }

    if (value === ']') {
      if (opts.nobracket === true || (prev && prev.type === 'bracket' && prev.value.length === 1)) {
        push({ type: 'text', value, output: `\\${value}` });
        continue;
      }

      if (state.brackets === 0) {
        if (opts.strictBrackets === true) {
          throw new SyntaxError(syntaxError('opening', '['));
        }

        push({ type: 'text', value, output: `\\${value}` });
        continue;
      }

      decrement('brackets');

      const prevValue = prev.value.slice(1);
      if (prev.posix !== true && prevValue[0] === '^' && !prevValue.includes('/')) {
        value = `/${value}`;
      }

      prev.value += value;
      append({ value });

      // when literal brackets are explicitly disabled
      // assume we should match with a regex character class
      if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
        continue;
      }

      const escaped = utils.escapeRegex(prev.value);
      state.output = state.output.slice(0, -prev.value.length);

      // when literal brackets are explicitly enabled
      // assume we should escape the brackets to match literal characters
      if (opts.literalBrackets === true) {
        state.output += escaped;
        prev.value = escaped;
        continue;
      }

      // when the user specifies nothing, try to match both
      prev.value = `(${capture}${escaped}|${prev.value})`;
      state.output += prev.value;
      continue;
    }

    /**
     * Braces
     */

    if (value === '{' && opts.nobrace !== true) {
      increment('braces');

      const open = {
        type: 'brace',
        value,
        output: '(',
        outputIndex: state.output.length,
        tokensIndex: state.tokens.length
      };

      braces.push(open);
      push(open);
      continue;
    }

    if (value === '}') {
      const brace = braces[braces.length - 1];

      if (opts.nobrace === true || !brace) {
        push({ type: 'text', value, output: value });
        continue;
      }

      let output = ')';

      if (brace.dots === true) {
        const arr = tokens.slice();
        const range = [];

        for (let i = arr.length - 1; i >= 0; i--) {
          tokens.pop();
          if (arr[i].type === 'brace') {
            break;
          }
          if (arr[i].type !== 'dots') {
            range.unshift(arr[i].value);
          }
        }

        output = expandRange(range, opts);
        state.backtrack = true;
      }

      if (brace.comma !== true && brace.dots !== true) {
        const out = state.output.slice(0, brace.outputIndex);
        const toks = state.tokens.slice(brace.tokensIndex);
        brace.value = brace.output = '\\{';
        value = output = '\\}';
        state.output = out;
        for (const t of toks) {
          state.output += (t.output || t.value);
        }
      }

      push({ type: 'brace', value, output });
      decrement('braces');
      braces.pop();
      continue;
    }

    /**
     * Pipes
     */

    if (value === '|') {
      if (extglobs.length > 0) {
        extglobs[extglobs.length - 1].conditions++;
      }
      push({ type: 'text', value });
      continue;
    }

    /**
     * Commas
     */

    if (value === ',') {
      let output = value;

      const brace = braces[braces.length - 1];
      if (brace && stack[stack.length - 1] === 'braces') {
        brace.comma = true;
        output = '|';
      }

      push({ type: 'comma', value, output });
      continue;
    }

    /**
     * Slashes
     */

    if (value === '/') {
      // if the beginning of the glob is "./", advance the start
      // to the current index, and don't add the "./" characters
      // to the state. This greatly simplifies lookbehinds when
      // checking for BOS characters like "!" and "." (not "./")
      if (prev.type === 'dot' && state.index === state.start + 1) {
        state.start = state.index + 1;
        state.consumed = '';
        state.output = '';
        tokens.pop();
        prev = bos; // reset "prev" to the first token
        continue;
      }

      push({ type: 'slash', value, output: SLASH_LITERAL });
      continue;
    }

    /**
     * Dots
     */

    if (value === '.') {
      if (state.braces > 0 && prev.type === 'dot') {
        if (prev.value === '.') prev.output = DOT_LITERAL;
        const brace = braces[braces.length - 1];
        prev.type = 'dots';
        prev.output += value;
        prev.value += value;
        brace.dots = true;
        continue;
      }

      if ((state.braces + state.parens) === 0 && prev.type !== 'bos' && prev.type !== 'slash') {
        push({ type: 'text', value, output: DOT_LITERAL });
        continue;
      }

      push({ type: 'dot', value, output: DOT_LITERAL });
      continue;
    }

    /**
     * Question marks
     */

    if (value === '?') {
      const isGroup = prev && prev.value === '(';
      if (!isGroup && opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        extglobOpen('qmark', value);
        continue;
      }

      if (prev && prev.type === 'paren') {
        const next = peek();
        let output = value;

        if ((prev.value === '(' && !/[!=<:]/.test(next)) || (next === '<' && !/<([!=]|\w+>)/.test(remaining()))) {
          output = `\\${value}`;
        }

        push({ type: 'text', value, output });
        continue;
      }

      if (opts.dot !== true && (prev.type === 'slash' || prev.type === 'bos')) {
        push({ type: 'qmark', value, output: QMARK_NO_DOT });
        continue;
      }

      push({ type: 'qmark', value, output: QMARK });
      continue;
    }

    /**
     * Exclamation
     */

    if (value === '!') {
      if (opts.noextglob !== true && peek() === '(') {
        if (peek(2) !== '?' || !/[!=<:]/.test(peek(3))) {
          extglobOpen('negate', value);
          continue;
        }
      }

      if (opts.nonegate !== true && state.index === 0) {
        negate();
        continue;
      }
    }

    /**
     * Plus
     */

    if (value === '+') {
      if (opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        extglobOpen('plus', value);
        continue;
      }

      if ((prev && prev.value === '(') || opts.regex === false) {
        push({ type: 'plus', value, output: PLUS_LITERAL });
        continue;
      }

      if ((prev && (prev.type === 'bracket' || prev.type === 'paren' || prev.type === 'brace')) || state.parens > 0) {
        push({ type: 'plus', value });
        continue;
      }

      push({ type: 'plus', value: PLUS_LITERAL });
      continue;
    }

    /**
     * Plain text
     */

    if (value === '@') {
      if (opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        push({ type: 'at', extglob: true, value, output: '' });
        continue;
      }

      push({ type: 'text', value });
      continue;
    }

    /**
     * Plain text
     */

    if (value !== '*') {
      if (value === '$' || value === '^') {
        value = `\\${value}`;
      }

      const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
      if (match) {
        value += match[0];
        state.index += match[0].length;
      }

      push({ type: 'text', value });
      continue;
    }

    /**
     * Stars
     */

    if (prev && (prev.type === 'globstar' || prev.star === true)) {
      prev.type = 'star';
      prev.star = true;
      prev.value += value;
      prev.output = star;
      state.backtrack = true;
      state.globstar = true;
      consume(value);
      continue;
    }

    let rest = remaining();
    if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
      extglobOpen('star', value);
      continue;
    }

    if (prev.type === 'star') {
      if (opts.noglobstar === true) {
        consume(value);
        continue;
      }

      const prior = prev.prev;
      const before = prior.prev;
      const isStart = prior.type === 'slash' || prior.type === 'bos';
      const afterStar = before && (before.type === 'star' || before.type === 'globstar');

      if (opts.bash === true && (!isStart || (rest[0] && rest[0] !== '/'))) {
        push({ type: 'star', value, output: '' });
        continue;
      }

      const isBrace = state.braces > 0 && (prior.type === 'comma' || prior.type === 'brace');
      const isExtglob = extglobs.length && (prior.type === 'pipe' || prior.type === 'paren');
      if (!isStart && prior.type !== 'paren' && !isBrace && !isExtglob) {
        push({ type: 'star', value, output: '' });
        continue;
      }

      // strip consecutive `/**/`
      while (rest.slice(0, 3) === '/**') {
        const after = input[state.index + 4];
        if (after && after !== '/') {
          break;
        }
        rest = rest.slice(3);
        consume('/**', 3);
      }

      // A globstar followed only by balanced closing parens is at the logical end of patterns like
      // `test(/utils/**)` and `test?(/utils/**)`. Treat it as EOS so the trailing `/**` can match its
      // parent path, except in negated extglobs where that would change the exclusion semantics.
      const isEnd = eos() || (
        state.parens > 0
        && rest === ')'.repeat(state.parens)
        && !extglobs.some(extglob => extglob.type === 'negate')
      );

      if (prior.type === 'bos' && eos()) {
        prev.type = 'globstar';
        prev.value += value;
        prev.output = globstar(opts);
        state.output = prev.output;
        state.globstar = true;
        consume(value);
        continue;
      }

      if (prior.type === 'slash' && prior.prev.type !== 'bos' && !afterStar && isEnd) {
        state.output = state.output.slice(0, -(prior.output + prev.output).length);
        prior.output = `(?:${prior.output}`;

        prev.type = 'globstar';
        prev.output = globstar(opts) + (opts.strictSlashes ? ')' : '|$)');
        prev.value += value;
        state.globstar = true;
        state.output += prior.output + prev.output;
        consume(value);
        continue;
      }

      if (prior.type === 'slash' && prior.prev.type !== 'bos' && rest[0] === '/') {
        const end = rest[1] !== void 0 ? '|$' : '';

        state.output = state.output.slice(0, -(prior.output + prev.output).length);
        prior.output = `(?:${prior.output}`;

        prev.type = 'globstar';
        prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
        prev.value += value;

        state.output += prior.output + prev.output;
        state.globstar = true;

        consume(value + advance());

        push({ type: 'slash', value: '/', output: '' });
        continue;
      }

      if (prior.type === 'bos' && rest[0] === '/') {
        prev.type = 'globstar';
        prev.value += value;
        prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
        state.output = prev.output;
        state.globstar = true;
        consume(value + advance());
        push({ type: 'slash', value: '/', output: '' });
        continue;
      }

      // remove single star from output
      state.output = state.output.slice(0, -prev.output.length);

      // reset previous token to globstar
      prev.type = 'globstar';
      prev.output = globstar(opts);
      prev.value += value;

      // reset output with globstar
      state.output += prev.output;
      state.globstar = true;
      consume(value);
      continue;
    }

    const token = { type: 'star', value, output: star };

    if (opts.bash === true) {
      token.output = '.*?';
      if (prev.type === 'bos' || prev.type === 'slash') {
        token.output = nodot + token.output;
      }
      push(token);
      continue;
    }

    if (prev && (prev.type === 'bracket' || prev.type === 'paren') && opts.regex === true) {
      token.output = value;
      push(token);
      continue;
    }

    if (state.index === state.start || prev.type === 'slash' || prev.type === 'dot') {
      if (prev.type === 'dot') {
        state.output += NO_DOT_SLASH;
        prev.output += NO_DOT_SLASH;

      } else if (opts.dot === true) {
        state.output += NO_DOTS_SLASH;
        prev.output += NO_DOTS_SLASH;

      } else {
        state.output += nodot;
        prev.output += nodot;
      }

      if (peek() !== '*') {
        state.output += ONE_CHAR;
        prev.output += ONE_CHAR;
      }
    }

    push(token);
  }

  while (state.brackets > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', ']'));
    state.output = utils.escapeLast(state.output, '[');
    decrement('brackets');
  }

  while (state.parens > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', ')'));
    state.output = utils.escapeLast(state.output, '(');
    decrement('parens');
  }

  while (state.braces > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', '}'));
    state.output = utils.escapeLast(state.output, '{');
    decrement('braces');
  }

  if (opts.strictSlashes !== true && (prev.type === 'star' || prev.type === 'bracket')) {
    push({ type: 'maybe_slash', value: '', output: `${SLASH_LITERAL}?` });
  }

  // rebuild the output if we had to backtrack at any point
  if (state.backtrack === true) {
    state.output = '';

    for (const token of state.tokens) {
      state.output += token.output != null ? token.output : token.value;

      if (token.suffix) {
        state.output += token.suffix;
      }
    }
  }

  return state;
};

/**
 * Fast paths for creating regular expressions for common glob patterns.
 * This can significantly speed up processing and has very little downside
 * impact when none of the fast paths match.
 */

parse.fastpaths = (input, options) => {
  const opts = { ...options };
  const max = typeof opts.maxLength === 'number' ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
  const len = input.length;
  if (len > max) {
    throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
  }

  input = REPLACEMENTS[input] || input;

  // create constants based on platform, for windows or posix
  const {
    DOT_LITERAL,
    SLASH_LITERAL,
    ONE_CHAR,
    DOTS_SLASH,
    NO_DOT,
    NO_DOTS,
    NO_DOTS_SLASH,
    STAR,
    START_ANCHOR
  } = constants.globChars(opts.windows);

  const nodot = opts.dot ? NO_DOTS : NO_DOT;
  const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
  const capture = opts.capture ? '' : '?:';
  const state = { negated: false, prefix: '' };
  let star = opts.bash === true ? '.*?' : STAR;

  if (opts.capture) {
    star = `(${star})`;
  }

  const globstar = opts => {
    if (opts.noglobstar === true) return star;
    return `(${capture}(?:(?!${START_ANCHOR}${opts.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
  };

  const create = str => {
    switch (str) {
      case '*':
        return `${nodot}${ONE_CHAR}${star}`;

      case '.*':
        return `${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '*.*':
        return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '*/*':
        return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;

      case '**':
        return nodot + globstar(opts);

      case '**/*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;

      case '**/*.*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '**/.*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;

      default: {
        const match = /^(.*?)\.(\w+)$/.exec(str);
        if (!match) return;

        const source = create(match[1]);
        if (!source) return;

        return source + DOT_LITERAL + match[2];
      }
    }
  };

  const output = utils.removePrefix(input, state);
  let source = create(output);

  if (source && opts.strictSlashes !== true) {
    source += `${SLASH_LITERAL}?`;
  }

  return source;
};

module.exports = parse;


/***/ }),

/***/ 8016:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const scan = __nccwpck_require__(1781);
const parse = __nccwpck_require__(8265);
const utils = __nccwpck_require__(4059);
const constants = __nccwpck_require__(5595);
const isObject = val => val && typeof val === 'object' && !Array.isArray(val);

/**
 * Creates a matcher function from one or more glob patterns. The
 * returned function takes a string to match as its first argument,
 * and returns true if the string is a match. The returned matcher
 * function also takes a boolean as the second argument that, when true,
 * returns an object with additional information.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch(glob[, options]);
 *
 * const isMatch = picomatch('*.!(*a)');
 * console.log(isMatch('a.a')); //=> false
 * console.log(isMatch('a.b')); //=> true
 *
 * // For environments without `node.js`, `picomatch/posix` provides you a dependency-free matcher, without automatic OS detection.
 * const picomatch = require('picomatch/posix');
 * // the same API, defaulting to posix paths
 * const isMatch = picomatch('a/*');
 * console.log(isMatch('a\\b')); //=> false
 * console.log(isMatch('a/b')); //=> true
 *
 * // you can still configure the matcher function to accept windows paths
 * const isMatch = picomatch('a/*', { options: windows });
 * console.log(isMatch('a\\b')); //=> true
 * console.log(isMatch('a/b')); //=> true
 * ```
 * @name picomatch
 * @param {String|Array} `globs` One or more glob patterns.
 * @param {Object=} `options`
 * @return {Function=} Returns a matcher function.
 * @api public
 */

const picomatch = (glob, options, returnState = false) => {
  if (Array.isArray(glob)) {
    const fns = glob.map(input => picomatch(input, options, returnState));
    const arrayMatcher = str => {
      for (const isMatch of fns) {
        const state = isMatch(str);
        if (state) return state;
      }
      return false;
    };
    return arrayMatcher;
  }

  const isState = isObject(glob) && glob.tokens && glob.input;

  if (glob === '' || (typeof glob !== 'string' && !isState)) {
    throw new TypeError('Expected pattern to be a non-empty string');
  }

  const opts = options || {};
  const posix = opts.windows;
  const regex = isState
    ? picomatch.compileRe(glob, options)
    : picomatch.makeRe(glob, options, false, true);

  const state = regex.state;
  delete regex.state;

  let isIgnored = () => false;
  if (opts.ignore) {
    const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
    isIgnored = picomatch(opts.ignore, ignoreOpts, returnState);
  }

  const matcher = (input, returnObject = false) => {
    const { isMatch, match, output } = picomatch.test(input, regex, options, { glob, posix });
    const result = { glob, state, regex, posix, input, output, match, isMatch };

    if (typeof opts.onResult === 'function') {
      opts.onResult(result);
    }

    if (isMatch === false) {
      result.isMatch = false;
      return returnObject ? result : false;
    }

    if (isIgnored(input)) {
      if (typeof opts.onIgnore === 'function') {
        opts.onIgnore(result);
      }
      result.isMatch = false;
      return returnObject ? result : false;
    }

    if (typeof opts.onMatch === 'function') {
      opts.onMatch(result);
    }
    return returnObject ? result : true;
  };

  if (returnState) {
    matcher.state = state;
  }

  return matcher;
};

/**
 * Test `input` with the given `regex`. This is used by the main
 * `picomatch()` function to test the input string.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.test(input, regex[, options]);
 *
 * console.log(picomatch.test('foo/bar', /^(?:([^/]*?)\/([^/]*?))$/));
 * // { isMatch: true, match: [ 'foo/', 'foo', 'bar' ], output: 'foo/bar' }
 * ```
 * @param {String} `input` String to test.
 * @param {RegExp} `regex`
 * @return {Object} Returns an object with matching info.
 * @api public
 */

picomatch.test = (input, regex, options, { glob, posix } = {}) => {
  if (typeof input !== 'string') {
    throw new TypeError('Expected input to be a string');
  }

  if (input === '') {
    return { isMatch: false, output: '' };
  }

  const opts = options || {};
  const format = opts.format || (posix ? utils.toPosixSlashes : null);
  let match = input === glob;
  let output = (match && format) ? format(input) : input;

  if (match === false) {
    output = format ? format(input) : input;
    match = output === glob;
  }

  if (match === false || opts.capture === true) {
    if (opts.matchBase === true || opts.basename === true) {
      match = picomatch.matchBase(input, regex, options, posix);
    } else {
      match = regex.exec(output);
    }
  }

  return { isMatch: Boolean(match), match, output };
};

/**
 * Match the basename of a filepath.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.matchBase(input, glob[, options]);
 * console.log(picomatch.matchBase('foo/bar.js', '*.js'); // true
 * ```
 * @param {String} `input` String to test.
 * @param {RegExp|String} `glob` Glob pattern or regex created by [.makeRe](#makeRe).
 * @return {Boolean}
 * @api public
 */

picomatch.matchBase = (input, glob, options, posix = options && options.windows) => {
  const regex = glob instanceof RegExp ? glob : picomatch.makeRe(glob, options);
  return regex.test(utils.basename(input, { windows: posix }));
};

/**
 * Returns true if **any** of the given glob `patterns` match the specified `string`.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.isMatch(string, patterns[, options]);
 *
 * console.log(picomatch.isMatch('a.a', ['b.*', '*.a'])); //=> true
 * console.log(picomatch.isMatch('a.a', 'b.*')); //=> false
 * ```
 * @param {String|Array} str The string to test.
 * @param {String|Array} patterns One or more glob patterns to use for matching.
 * @param {Object} [options] See available [options](#options).
 * @return {Boolean} Returns true if any patterns match `str`
 * @api public
 */

picomatch.isMatch = (str, patterns, options) => picomatch(patterns, options)(str);

/**
 * Parse a glob pattern to create the source string for a regular
 * expression.
 *
 * ```js
 * const picomatch = require('picomatch');
 * const result = picomatch.parse(pattern[, options]);
 * ```
 * @param {String} `pattern`
 * @param {Object} `options`
 * @return {Object} Returns an object with useful properties and output to be used as a regex source string.
 * @api public
 */

picomatch.parse = (pattern, options) => {
  if (Array.isArray(pattern)) return pattern.map(p => picomatch.parse(p, options));
  return parse(pattern, { ...options, fastpaths: false });
};

/**
 * Scan a glob pattern to separate the pattern into segments.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.scan(input[, options]);
 *
 * const result = picomatch.scan('!./foo/*.js');
 * console.log(result);
 * { prefix: '!./',
 *   input: '!./foo/*.js',
 *   start: 3,
 *   base: 'foo',
 *   glob: '*.js',
 *   isBrace: false,
 *   isBracket: false,
 *   isGlob: true,
 *   isExtglob: false,
 *   isGlobstar: false,
 *   negated: true }
 * ```
 * @param {String} `input` Glob pattern to scan.
 * @param {Object} `options`
 * @return {Object} Returns an object with
 * @api public
 */

picomatch.scan = (input, options) => scan(input, options);

/**
 * Compile a regular expression from the `state` object returned by the
 * [parse()](#parse) method.
 *
 * ```js
 * const picomatch = require('picomatch');
 * const state = picomatch.parse('*.js');
 * // picomatch.compileRe(state[, options]);
 *
 * console.log(picomatch.compileRe(state));
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {Object} `state`
 * @param {Object} `options`
 * @param {Boolean} `returnOutput` Intended for implementors, this argument allows you to return the raw output from the parser.
 * @param {Boolean} `returnState` Adds the state to a `state` property on the returned regex. Useful for implementors and debugging.
 * @return {RegExp}
 * @api public
 */

picomatch.compileRe = (state, options, returnOutput = false, returnState = false) => {
  if (returnOutput === true) {
    return state.output;
  }

  const opts = options || {};
  const prepend = opts.contains ? '' : '^';
  const append = opts.contains ? '' : '$';

  let source = `${prepend}(?:${state.output})${append}`;
  if (state && state.negated === true) {
    source = `^(?!${source}).*$`;
  }

  const regex = picomatch.toRegex(source, options);
  if (returnState === true) {
    regex.state = state;
  }

  return regex;
};

/**
 * Create a regular expression from a parsed glob pattern.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.makeRe(state[, options]);
 *
 * const result = picomatch.makeRe('*.js');
 * console.log(result);
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {String} `state` The object returned from the `.parse` method.
 * @param {Object} `options`
 * @param {Boolean} `returnOutput` Implementors may use this argument to return the compiled output, instead of a regular expression. This is not exposed on the options to prevent end-users from mutating the result.
 * @param {Boolean} `returnState` Implementors may use this argument to return the state from the parsed glob with the returned regular expression.
 * @return {RegExp} Returns a regex created from the given pattern.
 * @api public
 */

picomatch.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
  if (!input || typeof input !== 'string') {
    throw new TypeError('Expected a non-empty string');
  }

  let parsed = { negated: false, fastpaths: true };

  if (options.fastpaths !== false && (input[0] === '.' || input[0] === '*')) {
    parsed.output = parse.fastpaths(input, options);
  }

  if (!parsed.output) {
    parsed = parse(input, options);
  }

  return picomatch.compileRe(parsed, options, returnOutput, returnState);
};

/**
 * Create a regular expression from the given regex source string.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.toRegex(source[, options]);
 *
 * const { output } = picomatch.parse('*.js');
 * console.log(picomatch.toRegex(output));
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {String} `source` Regular expression source string.
 * @param {Object} `options`
 * @return {RegExp}
 * @api public
 */

picomatch.toRegex = (source, options) => {
  try {
    const opts = options || {};
    return new RegExp(source, opts.flags || (opts.nocase ? 'i' : ''));
  } catch (err) {
    if (options && options.debug === true) throw err;
    return /$^/;
  }
};

/**
 * Picomatch constants.
 * @return {Object}
 */

picomatch.constants = constants;

/**
 * Expose "picomatch"
 */

module.exports = picomatch;


/***/ }),

/***/ 1781:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const utils = __nccwpck_require__(4059);
const {
  CHAR_ASTERISK,             /* * */
  CHAR_AT,                   /* @ */
  CHAR_BACKWARD_SLASH,       /* \ */
  CHAR_COMMA,                /* , */
  CHAR_DOT,                  /* . */
  CHAR_EXCLAMATION_MARK,     /* ! */
  CHAR_FORWARD_SLASH,        /* / */
  CHAR_LEFT_CURLY_BRACE,     /* { */
  CHAR_LEFT_PARENTHESES,     /* ( */
  CHAR_LEFT_SQUARE_BRACKET,  /* [ */
  CHAR_PLUS,                 /* + */
  CHAR_QUESTION_MARK,        /* ? */
  CHAR_RIGHT_CURLY_BRACE,    /* } */
  CHAR_RIGHT_PARENTHESES,    /* ) */
  CHAR_RIGHT_SQUARE_BRACKET  /* ] */
} = __nccwpck_require__(5595);

const isPathSeparator = code => {
  return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
};

const depth = token => {
  if (token.isPrefix !== true) {
    token.depth = token.isGlobstar ? Infinity : 1;
  }
};

/**
 * Quickly scans a glob pattern and returns an object with a handful of
 * useful properties, like `isGlob`, `path` (the leading non-glob, if it exists),
 * `glob` (the actual pattern), `negated` (true if the path starts with `!` but not
 * with `!(`) and `negatedExtglob` (true if the path starts with `!(`).
 *
 * ```js
 * const pm = require('picomatch');
 * console.log(pm.scan('foo/bar/*.js'));
 * { isGlob: true, input: 'foo/bar/*.js', base: 'foo/bar', glob: '*.js' }
 * ```
 * @param {String} `str`
 * @param {Object} `options`
 * @return {Object} Returns an object with tokens and regex source string.
 * @api public
 */

const scan = (input, options) => {
  const opts = options || {};

  const length = input.length - 1;
  const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
  const slashes = [];
  const tokens = [];
  const parts = [];

  let str = input;
  let index = -1;
  let start = 0;
  let lastIndex = 0;
  let isBrace = false;
  let isBracket = false;
  let isGlob = false;
  let isExtglob = false;
  let isGlobstar = false;
  let braceEscaped = false;
  let backslashes = false;
  let negated = false;
  let negatedExtglob = false;
  let finished = false;
  let braces = 0;
  let prev;
  let code;
  let token = { value: '', depth: 0, isGlob: false };

  const eos = () => index >= length;
  const peek = () => str.charCodeAt(index + 1);
  const advance = () => {
    prev = code;
    return str.charCodeAt(++index);
  };

  while (index < length) {
    code = advance();
    let next;

    if (code === CHAR_BACKWARD_SLASH) {
      backslashes = token.backslashes = true;
      code = advance();

      if (code === CHAR_LEFT_CURLY_BRACE) {
        braceEscaped = true;
      }
      continue;
    }

    if (braceEscaped === true || code === CHAR_LEFT_CURLY_BRACE) {
      braces++;

      while (eos() !== true && (code = advance())) {
        if (code === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          advance();
          continue;
        }

        if (code === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          continue;
        }

        if (braceEscaped !== true && code === CHAR_DOT && (code = advance()) === CHAR_DOT) {
          isBrace = token.isBrace = true;
          isGlob = token.isGlob = true;
          finished = true;

          if (scanToEnd === true) {
            continue;
          }

          break;
        }

        if (braceEscaped !== true && code === CHAR_COMMA) {
          isBrace = token.isBrace = true;
          isGlob = token.isGlob = true;
          finished = true;

          if (scanToEnd === true) {
            continue;
          }

          break;
        }

        if (code === CHAR_RIGHT_CURLY_BRACE) {
          braces--;

          if (braces === 0) {
            braceEscaped = false;
            isBrace = token.isBrace = true;
            finished = true;
            break;
          }
        }
      }

      if (scanToEnd === true) {
        continue;
      }

      break;
    }

    if (code === CHAR_FORWARD_SLASH) {
      slashes.push(index);
      tokens.push(token);
      token = { value: '', depth: 0, isGlob: false };

      if (finished === true) continue;
      if (prev === CHAR_DOT && index === (start + 1)) {
        start += 2;
        continue;
      }

      lastIndex = index + 1;
      continue;
    }

    if (opts.noext !== true) {
      const isExtglobChar = code === CHAR_PLUS
        || code === CHAR_AT
        || code === CHAR_ASTERISK
        || code === CHAR_QUESTION_MARK
        || code === CHAR_EXCLAMATION_MARK;

      if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
        isGlob = token.isGlob = true;
        isExtglob = token.isExtglob = true;
        finished = true;
        if (code === CHAR_EXCLAMATION_MARK && index === start) {
          negatedExtglob = true;
        }

        if (scanToEnd === true) {
          let parens = 0;

          while (eos() !== true && (code = advance())) {
            if (code === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }

            if (code === CHAR_LEFT_PARENTHESES) {
              parens++;
              continue;
            }

            if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
              finished = true;
              break;
            }
          }
          continue;
        }
        break;
      }
    }

    if (code === CHAR_ASTERISK) {
      if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
      isGlob = token.isGlob = true;
      finished = true;

      if (scanToEnd === true) {
        continue;
      }
      break;
    }

    if (code === CHAR_QUESTION_MARK) {
      isGlob = token.isGlob = true;
      finished = true;

      if (scanToEnd === true) {
        continue;
      }
      break;
    }

    if (code === CHAR_LEFT_SQUARE_BRACKET) {
      while (eos() !== true && (next = advance())) {
        if (next === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          advance();
          continue;
        }

        if (next === CHAR_RIGHT_SQUARE_BRACKET) {
          isBracket = token.isBracket = true;
          isGlob = token.isGlob = true;
          finished = true;
          break;
        }
      }

      if (scanToEnd === true) {
        continue;
      }

      break;
    }

    if (opts.nonegate !== true && code === CHAR_EXCLAMATION_MARK && index === start) {
      negated = token.negated = true;
      start++;
      continue;
    }

    if (opts.noparen !== true && code === CHAR_LEFT_PARENTHESES) {
      isGlob = token.isGlob = true;

      if (scanToEnd === true) {
        let parens = 1;

        while (eos() !== true && (code = advance())) {
          if (code === CHAR_BACKWARD_SLASH) {
            backslashes = token.backslashes = true;
            advance();
            continue;
          }

          if (code === CHAR_LEFT_PARENTHESES) {
            parens++;
            continue;
          }

          if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
            finished = true;
            break;
          }
        }
        continue;
      }
      break;
    }

    if (isGlob === true) {
      finished = true;

      if (scanToEnd === true) {
        continue;
      }

      break;
    }
  }

  if (opts.noext === true) {
    isExtglob = false;
    isGlob = false;
  }

  let base = str;
  let prefix = '';
  let glob = '';

  if (start > 0) {
    prefix = str.slice(0, start);
    str = str.slice(start);
    lastIndex -= start;
  }

  if (base && isGlob === true && lastIndex > 0) {
    base = str.slice(0, lastIndex);
    glob = str.slice(lastIndex);
  } else if (isGlob === true) {
    base = '';
    glob = str;
  } else {
    base = str;
  }

  if (base && base !== '' && base !== '/' && base !== str) {
    if (isPathSeparator(base.charCodeAt(base.length - 1))) {
      base = base.slice(0, -1);
    }
  }

  if (opts.unescape === true) {
    if (glob) glob = utils.removeBackslashes(glob);

    if (base && backslashes === true) {
      base = utils.removeBackslashes(base);
    }
  }

  const state = {
    prefix,
    input,
    start,
    base,
    glob,
    isBrace,
    isBracket,
    isGlob,
    isExtglob,
    isGlobstar,
    negated,
    negatedExtglob
  };

  if (opts.tokens === true) {
    state.maxDepth = 0;
    if (!isPathSeparator(code)) {
      tokens.push(token);
    }
    state.tokens = tokens;
  }

  if (opts.parts === true || opts.tokens === true) {
    let prevIndex;

    for (let idx = 0; idx < slashes.length; idx++) {
      const n = prevIndex !== undefined ? prevIndex + 1 : start;
      const i = slashes[idx];
      const value = input.slice(n, i);
      if (opts.tokens) {
        if (idx === 0 && start !== 0) {
          tokens[idx].isPrefix = true;
          tokens[idx].value = prefix;
        } else {
          tokens[idx].value = value;
        }
        depth(tokens[idx]);
        state.maxDepth += tokens[idx].depth;
      }
      if (i >= start) {
        parts.push(value);
        prevIndex = i;
      }
    }

    const n = prevIndex !== undefined ? prevIndex + 1 : start;
    const value = input.slice(n);
    parts.push(value);

    if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
      tokens[tokens.length - 1].value = value;
      depth(tokens[tokens.length - 1]);
      state.maxDepth += tokens[tokens.length - 1].depth;
    }

    state.slashes = slashes;
    state.parts = parts;
  }

  return state;
};

module.exports = scan;


/***/ }),

/***/ 4059:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

/*global navigator*/


const {
  REGEX_BACKSLASH,
  REGEX_REMOVE_BACKSLASH,
  REGEX_SPECIAL_CHARS,
  REGEX_SPECIAL_CHARS_GLOBAL
} = __nccwpck_require__(5595);

exports.isObject = val => val !== null && typeof val === 'object' && !Array.isArray(val);
exports.hasRegexChars = str => REGEX_SPECIAL_CHARS.test(str);
exports.isRegexChar = str => str.length === 1 && exports.hasRegexChars(str);
exports.escapeRegex = str => str.replace(REGEX_SPECIAL_CHARS_GLOBAL, '\\$1');
exports.toPosixSlashes = str => str.replace(REGEX_BACKSLASH, '/');

exports.isWindows = () => {
  if (typeof navigator !== 'undefined' && navigator.platform) {
    const platform = navigator.platform.toLowerCase();
    return platform === 'win32' || platform === 'windows';
  }

  if (typeof process !== 'undefined' && process.platform) {
    return process.platform === 'win32';
  }

  return false;
};

exports.removeBackslashes = str => {
  return str.replace(REGEX_REMOVE_BACKSLASH, match => {
    return match === '\\' ? '' : match;
  });
};

exports.escapeLast = (input, char, lastIdx) => {
  const idx = input.lastIndexOf(char, lastIdx);
  if (idx === -1) return input;
  if (input[idx - 1] === '\\') return exports.escapeLast(input, char, idx - 1);
  return `${input.slice(0, idx)}\\${input.slice(idx)}`;
};

exports.removePrefix = (input, state = {}) => {
  let output = input;
  if (output.startsWith('./')) {
    output = output.slice(2);
    state.prefix = './';
  }
  return output;
};

exports.wrapOutput = (input, state = {}, options = {}) => {
  const prepend = options.contains ? '' : '^';
  const append = options.contains ? '' : '$';

  let output = `${prepend}(?:${input})${append}`;
  if (state.negated === true) {
    output = `(?:^(?!${output}).*$)`;
  }
  return output;
};

exports.basename = (path, { windows } = {}) => {
  const segs = path.split(windows ? /[\\/]/ : '/');
  const last = segs[segs.length - 1];

  if (last === '') {
    return segs[segs.length - 2];
  }

  return last;
};


/***/ }),

/***/ 3648:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const lockfile = __nccwpck_require__(743);
const { toPromise, toSync, toSyncOptions } = __nccwpck_require__(3271);

async function lock(file, options) {
    const release = await toPromise(lockfile.lock)(file, options);

    return toPromise(release);
}

function lockSync(file, options) {
    const release = toSync(lockfile.lock)(file, toSyncOptions(options));

    return toSync(release);
}

function unlock(file, options) {
    return toPromise(lockfile.unlock)(file, options);
}

function unlockSync(file, options) {
    return toSync(lockfile.unlock)(file, toSyncOptions(options));
}

function check(file, options) {
    return toPromise(lockfile.check)(file, options);
}

function checkSync(file, options) {
    return toSync(lockfile.check)(file, toSyncOptions(options));
}

module.exports = lock;
module.exports.lock = lock;
module.exports.unlock = unlock;
module.exports.lockSync = lockSync;
module.exports.unlockSync = unlockSync;
module.exports.check = check;
module.exports.checkSync = checkSync;


/***/ }),

/***/ 3271:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const fs = __nccwpck_require__(5744);

function createSyncFs(fs) {
    const methods = ['mkdir', 'realpath', 'stat', 'rmdir', 'utimes'];
    const newFs = { ...fs };

    methods.forEach((method) => {
        newFs[method] = (...args) => {
            const callback = args.pop();
            let ret;

            try {
                ret = fs[`${method}Sync`](...args);
            } catch (err) {
                return callback(err);
            }

            callback(null, ret);
        };
    });

    return newFs;
}

// ----------------------------------------------------------

function toPromise(method) {
    return (...args) => new Promise((resolve, reject) => {
        args.push((err, result) => {
            if (err) {
                reject(err);
            } else {
                resolve(result);
            }
        });

        method(...args);
    });
}

function toSync(method) {
    return (...args) => {
        let err;
        let result;

        args.push((_err, _result) => {
            err = _err;
            result = _result;
        });

        method(...args);

        if (err) {
            throw err;
        }

        return result;
    };
}

function toSyncOptions(options) {
    // Shallow clone options because we are oging to mutate them
    options = { ...options };

    // Transform fs to use the sync methods instead
    options.fs = createSyncFs(options.fs || fs);

    // Retries are not allowed because it requires the flow to be sync
    if (
        (typeof options.retries === 'number' && options.retries > 0) ||
        (options.retries && typeof options.retries.retries === 'number' && options.retries.retries > 0)
    ) {
        throw Object.assign(new Error('Cannot use retries with the sync api'), { code: 'ESYNC' });
    }

    return options;
}

module.exports = {
    toPromise,
    toSync,
    toSyncOptions,
};


/***/ }),

/***/ 743:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const path = __nccwpck_require__(6928);
const fs = __nccwpck_require__(5744);
const retry = __nccwpck_require__(5546);
const onExit = __nccwpck_require__(6627);
const mtimePrecision = __nccwpck_require__(4747);

const locks = {};

function getLockFile(file, options) {
    return options.lockfilePath || `${file}.lock`;
}

function resolveCanonicalPath(file, options, callback) {
    if (!options.realpath) {
        return callback(null, path.resolve(file));
    }

    // Use realpath to resolve symlinks
    // It also resolves relative paths
    options.fs.realpath(file, callback);
}

function acquireLock(file, options, callback) {
    const lockfilePath = getLockFile(file, options);

    // Use mkdir to create the lockfile (atomic operation)
    options.fs.mkdir(lockfilePath, (err) => {
        if (!err) {
            // At this point, we acquired the lock!
            // Probe the mtime precision
            return mtimePrecision.probe(lockfilePath, options.fs, (err, mtime, mtimePrecision) => {
                // If it failed, try to remove the lock..
                /* istanbul ignore if */
                if (err) {
                    options.fs.rmdir(lockfilePath, () => {});

                    return callback(err);
                }

                callback(null, mtime, mtimePrecision);
            });
        }

        // If error is not EEXIST then some other error occurred while locking
        if (err.code !== 'EEXIST') {
            return callback(err);
        }

        // Otherwise, check if lock is stale by analyzing the file mtime
        if (options.stale <= 0) {
            return callback(Object.assign(new Error('Lock file is already being held'), { code: 'ELOCKED', file }));
        }

        options.fs.stat(lockfilePath, (err, stat) => {
            if (err) {
                // Retry if the lockfile has been removed (meanwhile)
                // Skip stale check to avoid recursiveness
                if (err.code === 'ENOENT') {
                    return acquireLock(file, { ...options, stale: 0 }, callback);
                }

                return callback(err);
            }

            if (!isLockStale(stat, options)) {
                return callback(Object.assign(new Error('Lock file is already being held'), { code: 'ELOCKED', file }));
            }

            // If it's stale, remove it and try again!
            // Skip stale check to avoid recursiveness
            removeLock(file, options, (err) => {
                if (err) {
                    return callback(err);
                }

                acquireLock(file, { ...options, stale: 0 }, callback);
            });
        });
    });
}

function isLockStale(stat, options) {
    return stat.mtime.getTime() < Date.now() - options.stale;
}

function removeLock(file, options, callback) {
    // Remove lockfile, ignoring ENOENT errors
    options.fs.rmdir(getLockFile(file, options), (err) => {
        if (err && err.code !== 'ENOENT') {
            return callback(err);
        }

        callback();
    });
}

function updateLock(file, options) {
    const lock = locks[file];

    // Just for safety, should never happen
    /* istanbul ignore if */
    if (lock.updateTimeout) {
        return;
    }

    lock.updateDelay = lock.updateDelay || options.update;
    lock.updateTimeout = setTimeout(() => {
        lock.updateTimeout = null;

        // Stat the file to check if mtime is still ours
        // If it is, we can still recover from a system sleep or a busy event loop
        options.fs.stat(lock.lockfilePath, (err, stat) => {
            const isOverThreshold = lock.lastUpdate + options.stale < Date.now();

            // If it failed to update the lockfile, keep trying unless
            // the lockfile was deleted or we are over the threshold
            if (err) {
                if (err.code === 'ENOENT' || isOverThreshold) {
                    return setLockAsCompromised(file, lock, Object.assign(err, { code: 'ECOMPROMISED' }));
                }

                lock.updateDelay = 1000;

                return updateLock(file, options);
            }

            const isMtimeOurs = lock.mtime.getTime() === stat.mtime.getTime();

            if (!isMtimeOurs) {
                return setLockAsCompromised(
                    file,
                    lock,
                    Object.assign(
                        new Error('Unable to update lock within the stale threshold'),
                        { code: 'ECOMPROMISED' }
                    ));
            }

            const mtime = mtimePrecision.getMtime(lock.mtimePrecision);

            options.fs.utimes(lock.lockfilePath, mtime, mtime, (err) => {
                const isOverThreshold = lock.lastUpdate + options.stale < Date.now();

                // Ignore if the lock was released
                if (lock.released) {
                    return;
                }

                // If it failed to update the lockfile, keep trying unless
                // the lockfile was deleted or we are over the threshold
                if (err) {
                    if (err.code === 'ENOENT' || isOverThreshold) {
                        return setLockAsCompromised(file, lock, Object.assign(err, { code: 'ECOMPROMISED' }));
                    }

                    lock.updateDelay = 1000;

                    return updateLock(file, options);
                }

                // All ok, keep updating..
                lock.mtime = mtime;
                lock.lastUpdate = Date.now();
                lock.updateDelay = null;
                updateLock(file, options);
            });
        });
    }, lock.updateDelay);

    // Unref the timer so that the nodejs process can exit freely
    // This is safe because all acquired locks will be automatically released
    // on process exit

    // We first check that `lock.updateTimeout.unref` exists because some users
    // may be using this module outside of NodeJS (e.g., in an electron app),
    // and in those cases `setTimeout` return an integer.
    /* istanbul ignore else */
    if (lock.updateTimeout.unref) {
        lock.updateTimeout.unref();
    }
}

function setLockAsCompromised(file, lock, err) {
    // Signal the lock has been released
    lock.released = true;

    // Cancel lock mtime update
    // Just for safety, at this point updateTimeout should be null
    /* istanbul ignore if */
    if (lock.updateTimeout) {
        clearTimeout(lock.updateTimeout);
    }

    if (locks[file] === lock) {
        delete locks[file];
    }

    lock.options.onCompromised(err);
}

// ----------------------------------------------------------

function lock(file, options, callback) {
    /* istanbul ignore next */
    options = {
        stale: 10000,
        update: null,
        realpath: true,
        retries: 0,
        fs,
        onCompromised: (err) => { throw err; },
        ...options,
    };

    options.retries = options.retries || 0;
    options.retries = typeof options.retries === 'number' ? { retries: options.retries } : options.retries;
    options.stale = Math.max(options.stale || 0, 2000);
    options.update = options.update == null ? options.stale / 2 : options.update || 0;
    options.update = Math.max(Math.min(options.update, options.stale / 2), 1000);

    // Resolve to a canonical file path
    resolveCanonicalPath(file, options, (err, file) => {
        if (err) {
            return callback(err);
        }

        // Attempt to acquire the lock
        const operation = retry.operation(options.retries);

        operation.attempt(() => {
            acquireLock(file, options, (err, mtime, mtimePrecision) => {
                if (operation.retry(err)) {
                    return;
                }

                if (err) {
                    return callback(operation.mainError());
                }

                // We now own the lock
                const lock = locks[file] = {
                    lockfilePath: getLockFile(file, options),
                    mtime,
                    mtimePrecision,
                    options,
                    lastUpdate: Date.now(),
                };

                // We must keep the lock fresh to avoid staleness
                updateLock(file, options);

                callback(null, (releasedCallback) => {
                    if (lock.released) {
                        return releasedCallback &&
                            releasedCallback(Object.assign(new Error('Lock is already released'), { code: 'ERELEASED' }));
                    }

                    // Not necessary to use realpath twice when unlocking
                    unlock(file, { ...options, realpath: false }, releasedCallback);
                });
            });
        });
    });
}

function unlock(file, options, callback) {
    options = {
        fs,
        realpath: true,
        ...options,
    };

    // Resolve to a canonical file path
    resolveCanonicalPath(file, options, (err, file) => {
        if (err) {
            return callback(err);
        }

        // Skip if the lock is not acquired
        const lock = locks[file];

        if (!lock) {
            return callback(Object.assign(new Error('Lock is not acquired/owned by you'), { code: 'ENOTACQUIRED' }));
        }

        lock.updateTimeout && clearTimeout(lock.updateTimeout); // Cancel lock mtime update
        lock.released = true; // Signal the lock has been released
        delete locks[file]; // Delete from locks

        removeLock(file, options, callback);
    });
}

function check(file, options, callback) {
    options = {
        stale: 10000,
        realpath: true,
        fs,
        ...options,
    };

    options.stale = Math.max(options.stale || 0, 2000);

    // Resolve to a canonical file path
    resolveCanonicalPath(file, options, (err, file) => {
        if (err) {
            return callback(err);
        }

        // Check if lockfile exists
        options.fs.stat(getLockFile(file, options), (err, stat) => {
            if (err) {
                // If does not exist, file is not locked. Otherwise, callback with error
                return err.code === 'ENOENT' ? callback(null, false) : callback(err);
            }

            // Otherwise, check if lock is stale by analyzing the file mtime
            return callback(null, !isLockStale(stat, options));
        });
    });
}

function getLocks() {
    return locks;
}

// Remove acquired locks on exit
/* istanbul ignore next */
onExit(() => {
    for (const file in locks) {
        const options = locks[file].options;

        try { options.fs.rmdirSync(getLockFile(file, options)); } catch (e) { /* Empty */ }
    }
});

module.exports.lock = lock;
module.exports.unlock = unlock;
module.exports.check = check;
module.exports.getLocks = getLocks;


/***/ }),

/***/ 4747:
/***/ ((module) => {



const cacheSymbol = Symbol();

function probe(file, fs, callback) {
    const cachedPrecision = fs[cacheSymbol];

    if (cachedPrecision) {
        return fs.stat(file, (err, stat) => {
            /* istanbul ignore if */
            if (err) {
                return callback(err);
            }

            callback(null, stat.mtime, cachedPrecision);
        });
    }

    // Set mtime by ceiling Date.now() to seconds + 5ms so that it's "not on the second"
    const mtime = new Date((Math.ceil(Date.now() / 1000) * 1000) + 5);

    fs.utimes(file, mtime, mtime, (err) => {
        /* istanbul ignore if */
        if (err) {
            return callback(err);
        }

        fs.stat(file, (err, stat) => {
            /* istanbul ignore if */
            if (err) {
                return callback(err);
            }

            const precision = stat.mtime.getTime() % 1000 === 0 ? 's' : 'ms';

            // Cache the precision in a non-enumerable way
            Object.defineProperty(fs, cacheSymbol, { value: precision });

            callback(null, stat.mtime, precision);
        });
    });
}

function getMtime(precision) {
    let now = Date.now();

    if (precision === 's') {
        now = Math.ceil(now / 1000) * 1000;
    }

    return new Date(now);
}

module.exports.probe = probe;
module.exports.getMtime = getMtime;


/***/ }),

/***/ 5546:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

module.exports = __nccwpck_require__(7084);

/***/ }),

/***/ 7084:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var RetryOperation = __nccwpck_require__(9538);

exports.operation = function(options) {
  var timeouts = exports.timeouts(options);
  return new RetryOperation(timeouts, {
      forever: options && options.forever,
      unref: options && options.unref,
      maxRetryTime: options && options.maxRetryTime
  });
};

exports.timeouts = function(options) {
  if (options instanceof Array) {
    return [].concat(options);
  }

  var opts = {
    retries: 10,
    factor: 2,
    minTimeout: 1 * 1000,
    maxTimeout: Infinity,
    randomize: false
  };
  for (var key in options) {
    opts[key] = options[key];
  }

  if (opts.minTimeout > opts.maxTimeout) {
    throw new Error('minTimeout is greater than maxTimeout');
  }

  var timeouts = [];
  for (var i = 0; i < opts.retries; i++) {
    timeouts.push(this.createTimeout(i, opts));
  }

  if (options && options.forever && !timeouts.length) {
    timeouts.push(this.createTimeout(i, opts));
  }

  // sort the array numerically ascending
  timeouts.sort(function(a,b) {
    return a - b;
  });

  return timeouts;
};

exports.createTimeout = function(attempt, opts) {
  var random = (opts.randomize)
    ? (Math.random() + 1)
    : 1;

  var timeout = Math.round(random * opts.minTimeout * Math.pow(opts.factor, attempt));
  timeout = Math.min(timeout, opts.maxTimeout);

  return timeout;
};

exports.wrap = function(obj, options, methods) {
  if (options instanceof Array) {
    methods = options;
    options = null;
  }

  if (!methods) {
    methods = [];
    for (var key in obj) {
      if (typeof obj[key] === 'function') {
        methods.push(key);
      }
    }
  }

  for (var i = 0; i < methods.length; i++) {
    var method   = methods[i];
    var original = obj[method];

    obj[method] = function retryWrapper(original) {
      var op       = exports.operation(options);
      var args     = Array.prototype.slice.call(arguments, 1);
      var callback = args.pop();

      args.push(function(err) {
        if (op.retry(err)) {
          return;
        }
        if (err) {
          arguments[0] = op.mainError();
        }
        callback.apply(this, arguments);
      });

      op.attempt(function() {
        original.apply(obj, args);
      });
    }.bind(obj, original);
    obj[method].options = options;
  }
};


/***/ }),

/***/ 9538:
/***/ ((module) => {

function RetryOperation(timeouts, options) {
  // Compatibility for the old (timeouts, retryForever) signature
  if (typeof options === 'boolean') {
    options = { forever: options };
  }

  this._originalTimeouts = JSON.parse(JSON.stringify(timeouts));
  this._timeouts = timeouts;
  this._options = options || {};
  this._maxRetryTime = options && options.maxRetryTime || Infinity;
  this._fn = null;
  this._errors = [];
  this._attempts = 1;
  this._operationTimeout = null;
  this._operationTimeoutCb = null;
  this._timeout = null;
  this._operationStart = null;

  if (this._options.forever) {
    this._cachedTimeouts = this._timeouts.slice(0);
  }
}
module.exports = RetryOperation;

RetryOperation.prototype.reset = function() {
  this._attempts = 1;
  this._timeouts = this._originalTimeouts;
}

RetryOperation.prototype.stop = function() {
  if (this._timeout) {
    clearTimeout(this._timeout);
  }

  this._timeouts       = [];
  this._cachedTimeouts = null;
};

RetryOperation.prototype.retry = function(err) {
  if (this._timeout) {
    clearTimeout(this._timeout);
  }

  if (!err) {
    return false;
  }
  var currentTime = new Date().getTime();
  if (err && currentTime - this._operationStart >= this._maxRetryTime) {
    this._errors.unshift(new Error('RetryOperation timeout occurred'));
    return false;
  }

  this._errors.push(err);

  var timeout = this._timeouts.shift();
  if (timeout === undefined) {
    if (this._cachedTimeouts) {
      // retry forever, only keep last error
      this._errors.splice(this._errors.length - 1, this._errors.length);
      this._timeouts = this._cachedTimeouts.slice(0);
      timeout = this._timeouts.shift();
    } else {
      return false;
    }
  }

  var self = this;
  var timer = setTimeout(function() {
    self._attempts++;

    if (self._operationTimeoutCb) {
      self._timeout = setTimeout(function() {
        self._operationTimeoutCb(self._attempts);
      }, self._operationTimeout);

      if (self._options.unref) {
          self._timeout.unref();
      }
    }

    self._fn(self._attempts);
  }, timeout);

  if (this._options.unref) {
      timer.unref();
  }

  return true;
};

RetryOperation.prototype.attempt = function(fn, timeoutOps) {
  this._fn = fn;

  if (timeoutOps) {
    if (timeoutOps.timeout) {
      this._operationTimeout = timeoutOps.timeout;
    }
    if (timeoutOps.cb) {
      this._operationTimeoutCb = timeoutOps.cb;
    }
  }

  var self = this;
  if (this._operationTimeoutCb) {
    this._timeout = setTimeout(function() {
      self._operationTimeoutCb();
    }, self._operationTimeout);
  }

  this._operationStart = new Date().getTime();

  this._fn(this._attempts);
};

RetryOperation.prototype.try = function(fn) {
  console.log('Using RetryOperation.try() is deprecated');
  this.attempt(fn);
};

RetryOperation.prototype.start = function(fn) {
  console.log('Using RetryOperation.start() is deprecated');
  this.attempt(fn);
};

RetryOperation.prototype.start = RetryOperation.prototype.try;

RetryOperation.prototype.errors = function() {
  return this._errors;
};

RetryOperation.prototype.attempts = function() {
  return this._attempts;
};

RetryOperation.prototype.mainError = function() {
  if (this._errors.length === 0) {
    return null;
  }

  var counts = {};
  var mainError = null;
  var mainErrorCount = 0;

  for (var i = 0; i < this._errors.length; i++) {
    var error = this._errors[i];
    var message = error.message;
    var count = (counts[message] || 0) + 1;

    counts[message] = count;

    if (count >= mainErrorCount) {
      mainError = error;
      mainErrorCount = count;
    }
  }

  return mainError;
};


/***/ }),

/***/ 6627:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

// Note: since nyc uses this module to output coverage, any lines
// that are in the direct sync flow of nyc's outputCoverage are
// ignored, since we can never get coverage for them.
// grab a reference to node's real process object right away
var process = global.process

const processOk = function (process) {
  return process &&
    typeof process === 'object' &&
    typeof process.removeListener === 'function' &&
    typeof process.emit === 'function' &&
    typeof process.reallyExit === 'function' &&
    typeof process.listeners === 'function' &&
    typeof process.kill === 'function' &&
    typeof process.pid === 'number' &&
    typeof process.on === 'function'
}

// some kind of non-node environment, just no-op
/* istanbul ignore if */
if (!processOk(process)) {
  module.exports = function () {
    return function () {}
  }
} else {
  var assert = __nccwpck_require__(2613)
  var signals = __nccwpck_require__(1430)
  var isWin = /^win/i.test(process.platform)

  var EE = __nccwpck_require__(4434)
  /* istanbul ignore if */
  if (typeof EE !== 'function') {
    EE = EE.EventEmitter
  }

  var emitter
  if (process.__signal_exit_emitter__) {
    emitter = process.__signal_exit_emitter__
  } else {
    emitter = process.__signal_exit_emitter__ = new EE()
    emitter.count = 0
    emitter.emitted = {}
  }

  // Because this emitter is a global, we have to check to see if a
  // previous version of this library failed to enable infinite listeners.
  // I know what you're about to say.  But literally everything about
  // signal-exit is a compromise with evil.  Get used to it.
  if (!emitter.infinite) {
    emitter.setMaxListeners(Infinity)
    emitter.infinite = true
  }

  module.exports = function (cb, opts) {
    /* istanbul ignore if */
    if (!processOk(global.process)) {
      return function () {}
    }
    assert.equal(typeof cb, 'function', 'a callback must be provided for exit handler')

    if (loaded === false) {
      load()
    }

    var ev = 'exit'
    if (opts && opts.alwaysLast) {
      ev = 'afterexit'
    }

    var remove = function () {
      emitter.removeListener(ev, cb)
      if (emitter.listeners('exit').length === 0 &&
          emitter.listeners('afterexit').length === 0) {
        unload()
      }
    }
    emitter.on(ev, cb)

    return remove
  }

  var unload = function unload () {
    if (!loaded || !processOk(global.process)) {
      return
    }
    loaded = false

    signals.forEach(function (sig) {
      try {
        process.removeListener(sig, sigListeners[sig])
      } catch (er) {}
    })
    process.emit = originalProcessEmit
    process.reallyExit = originalProcessReallyExit
    emitter.count -= 1
  }
  module.exports.unload = unload

  var emit = function emit (event, code, signal) {
    /* istanbul ignore if */
    if (emitter.emitted[event]) {
      return
    }
    emitter.emitted[event] = true
    emitter.emit(event, code, signal)
  }

  // { <signal>: <listener fn>, ... }
  var sigListeners = {}
  signals.forEach(function (sig) {
    sigListeners[sig] = function listener () {
      /* istanbul ignore if */
      if (!processOk(global.process)) {
        return
      }
      // If there are no other listeners, an exit is coming!
      // Simplest way: remove us and then re-send the signal.
      // We know that this will kill the process, so we can
      // safely emit now.
      var listeners = process.listeners(sig)
      if (listeners.length === emitter.count) {
        unload()
        emit('exit', null, sig)
        /* istanbul ignore next */
        emit('afterexit', null, sig)
        /* istanbul ignore next */
        if (isWin && sig === 'SIGHUP') {
          // "SIGHUP" throws an `ENOSYS` error on Windows,
          // so use a supported signal instead
          sig = 'SIGINT'
        }
        /* istanbul ignore next */
        process.kill(process.pid, sig)
      }
    }
  })

  module.exports.signals = function () {
    return signals
  }

  var loaded = false

  var load = function load () {
    if (loaded || !processOk(global.process)) {
      return
    }
    loaded = true

    // This is the number of onSignalExit's that are in play.
    // It's important so that we can count the correct number of
    // listeners on signals, and don't wait for the other one to
    // handle it instead of us.
    emitter.count += 1

    signals = signals.filter(function (sig) {
      try {
        process.on(sig, sigListeners[sig])
        return true
      } catch (er) {
        return false
      }
    })

    process.emit = processEmit
    process.reallyExit = processReallyExit
  }
  module.exports.load = load

  var originalProcessReallyExit = process.reallyExit
  var processReallyExit = function processReallyExit (code) {
    /* istanbul ignore if */
    if (!processOk(global.process)) {
      return
    }
    process.exitCode = code || /* istanbul ignore next */ 0
    emit('exit', process.exitCode, null)
    /* istanbul ignore next */
    emit('afterexit', process.exitCode, null)
    /* istanbul ignore next */
    originalProcessReallyExit.call(process, process.exitCode)
  }

  var originalProcessEmit = process.emit
  var processEmit = function processEmit (ev, arg) {
    if (ev === 'exit' && processOk(global.process)) {
      /* istanbul ignore else */
      if (arg !== undefined) {
        process.exitCode = arg
      }
      var ret = originalProcessEmit.apply(this, arguments)
      /* istanbul ignore next */
      emit('exit', process.exitCode, null)
      /* istanbul ignore next */
      emit('afterexit', process.exitCode, null)
      /* istanbul ignore next */
      return ret
    } else {
      return originalProcessEmit.apply(this, arguments)
    }
  }
}


/***/ }),

/***/ 1430:
/***/ ((module) => {

// This is not the set of all possible signals.
//
// It IS, however, the set of all signals that trigger
// an exit on either Linux or BSD systems.  Linux is a
// superset of the signal names supported on BSD, and
// the unknown signals just fail to register, so we can
// catch that easily enough.
//
// Don't bother with SIGKILL.  It's uncatchable, which
// means that we can't fire any callbacks anyway.
//
// If a user does happen to register a handler on a non-
// fatal signal like SIGWINCH or something, and then
// exit, it'll end up firing `process.emit('exit')`, so
// the handler will be fired anyway.
//
// SIGBUS, SIGFPE, SIGSEGV and SIGILL, when not raised
// artificially, inherently leave the process in a
// state from which it is not safe to try and enter JS
// listeners.
module.exports = [
  'SIGABRT',
  'SIGALRM',
  'SIGHUP',
  'SIGINT',
  'SIGTERM'
]

if (process.platform !== 'win32') {
  module.exports.push(
    'SIGVTALRM',
    'SIGXCPU',
    'SIGXFSZ',
    'SIGUSR2',
    'SIGTRAP',
    'SIGSYS',
    'SIGQUIT',
    'SIGIOT'
    // should detect profiler and enable/disable accordingly.
    // see #21
    // 'SIGPROF'
  )
}

if (process.platform === 'linux') {
  module.exports.push(
    'SIGIO',
    'SIGPOLL',
    'SIGPWR',
    'SIGSTKFLT',
    'SIGUNUSED'
  )
}


/***/ }),

/***/ 486:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _ports_node_exec_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(4145);
/* harmony import */ var _ports_clock_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3810);
/* harmony import */ var _util_log_safe_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(8854);
/* harmony import */ var _log_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(7644);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(3749);
/** CLI adapter: the only place the CLI reads process.argv/env and writes to the real streams. */





// Piped into `head`: the reader is gone, so stop quietly instead of dying with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
        if (e.code === 'EPIPE')
            process.exit(process.exitCode ?? 0);
        throw e;
    });
}
const argv = process.argv.slice(2);
const debug = argv.includes('--debug') || process.env.ATMOS_ACTION_DEBUG === 'true';
const code = await (0,_main_js__WEBPACK_IMPORTED_MODULE_4__/* .main */ .i)(argv, {
    cwd: process.cwd(),
    env: { ...process.env },
    stdout: (t) => void process.stdout.write(t),
    // Error messages carry values from YAML and git: never a workflow command on a CI runner.
    stderr: (t) => void process.stderr.write((0,_util_log_safe_js__WEBPACK_IMPORTED_MODULE_2__/* .logSafe */ .sN)(t)),
    log: (0,_log_js__WEBPACK_IMPORTED_MODULE_3__/* .stderrLog */ .b)(debug),
    clock: _ports_clock_js__WEBPACK_IMPORTED_MODULE_1__/* .systemClock */ .m,
    exec: _ports_node_exec_js__WEBPACK_IMPORTED_MODULE_0__/* .nodeExec */ .U,
    debug,
});
process.exitCode = code;

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 7644:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ stderrLog)
/* harmony export */ });
/* harmony import */ var _util_log_safe_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(8854);

/** Log to stderr, so stdout stays machine-readable (JSON, YAML). Lines go through logSafe: a CI runner parses stderr for workflow commands. */
function stderrLog(debug) {
    const w = (prefix) => (m) => void process.stderr.write(`${prefix}${(0,_util_log_safe_js__WEBPACK_IMPORTED_MODULE_0__/* .logSafe */ .sN)(m)}\n`);
    return { debug: debug ? w('debug: ') : () => { }, info: w(''), warn: w('warning: '), error: w('error: ') };
}


/***/ }),

/***/ 3749:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i: () => (/* binding */ main)
});

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
var external_node_fs_default = /*#__PURE__*/__nccwpck_require__.n(external_node_fs_namespaceObject);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/util/suggest.ts
/** "Did you mean" hints: the known names closest to what the user typed. */
/** Edit distance (insert, delete, substitute), for ranking close names. */
function editDistance(a, b) {
    const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diag = prev[0];
        prev[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const up = prev[j];
            prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
            diag = up;
        }
    }
    return prev[b.length];
}
/**
 * Up to `max` known names close to `typed`: within an edit distance of a third of its length
 * (at least 2), or containing it / contained in it; closest first, and none much further than the best.
 */
function closeNames(typed, known, max = 3) {
    const t = typed.toLowerCase();
    const limit = Math.max(2, Math.floor(t.length / 3));
    const scored = [];
    for (const name of new Set(known)) {
        const n = name.toLowerCase();
        const d = editDistance(t, n);
        if (d <= limit || (t.length >= 3 && (n.includes(t) || t.includes(n))))
            scored.push({ name, d });
    }
    scored.sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1));
    // Only the clearly closest: a name two edits further than the best one is noise.
    const best = scored[0]?.d ?? 0;
    return scored.filter((s) => s.d <= best + 1).slice(0, max).map((s) => s.name);
}
/** ` (did you mean "a" or "b"?)` or '' when nothing is close. */
function didYouMean(typed, known) {
    const close = closeNames(typed, known);
    if (close.length === 0)
        return '';
    const quoted = close.map((c) => `"${c}"`);
    const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
    return `; did you mean ${list}?`;
}

;// CONCATENATED MODULE: ./src/util/version.ts
/** Kept in step with package.json by test/unit/version.test.ts. */
const VERSION = '0.1.0';

// EXTERNAL MODULE: ./src/util/errors.ts
var util_errors = __nccwpck_require__(17);
;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/cli/args.ts



/** Flags every command accepts. */
const GLOBAL_OPTIONS = {
    chdir: { type: 'string', short: 'C' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' },
};
const GLOBAL_HELP = `Global flags:
  -C, --chdir DIR   run as if started in DIR (where atmos.yaml is looked up)
      --debug       print stack traces for errors
  -h, --help        show help (also: atmos-action help [command])
      --version     print the version`;
class UsageError extends util_errors/* AtmosError */.f7 {
}
/** Leading words of argv (skipping global flags and their values): the command path candidates. */
function commandWords(argv) {
    const words = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === '-C' || a === '--chdir') {
            i++;
            continue;
        }
        if (a.startsWith('-')) {
            if (a === '--debug' || a === '-h' || a === '--help' || a === '--version' || a.startsWith('--chdir=') || /^-C./.test(a))
                continue;
            break;
        }
        words.push(a);
    }
    return words;
}
/** Parses argv for one command: its path words are removed, its own and the global flags are typed. */
function parseCommandArgs(command, argv) {
    const rest = [...argv];
    for (const w of command.path) {
        const at = rest.indexOf(w);
        if (at >= 0)
            rest.splice(at, 1);
    }
    const options = { ...GLOBAL_OPTIONS, ...command.options };
    let parsed;
    try {
        parsed = (0,external_node_util_namespaceObject.parseArgs)({ args: rest, options, allowPositionals: true, strict: true });
    }
    catch (e) {
        throw new UsageError(`${flagProblem(e, options)}\nrun: atmos-action ${command.path.join(' ')} --help`);
    }
    const positionals = parsed.positionals;
    if (command.maxPositionals !== undefined && positionals.length > command.maxPositionals) {
        const extra = positionals[command.maxPositionals];
        throw new UsageError(`unexpected argument "${extra}": atmos-action ${command.path.join(' ')} takes ${command.maxPositionals === 0 ? 'no arguments, only flags' : `at most ${command.maxPositionals}`}\nrun: atmos-action ${command.path.join(' ')} --help`);
    }
    return { values: parsed.values, positionals };
}
/** node:util's parse errors, said in our words: which flag, what is wrong, the closest real flag. */
function flagProblem(e, options) {
    const flags = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
    const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? '';
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
        const flag = quoted.split('=')[0];
        return `unknown flag ${flag}${didYouMean(flag, flags)}`;
    }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
        const flag = /--[\w-]+/.exec(e.message)?.[0] ?? quoted;
        return /argument missing/.test(e.message) ? `${flag} needs a value` : `${flag} does not take a value`;
    }
    return e.message;
}
/** A flag that may be given several times and/or comma-separated: `--stacks a,b --stacks c`. */
function listFlag(v) {
    if (v === undefined || typeof v === 'boolean')
        return [];
    const list = Array.isArray(v) ? v : [v];
    return list.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}
function stringFlag(v) {
    if (typeof v === 'string')
        return v;
    if (Array.isArray(v))
        return v[v.length - 1];
    return undefined;
}
/** yes/no/true/false flag values. */
function yesNo(v, name, fallback) {
    if (v === undefined)
        return fallback;
    if (typeof v === 'boolean')
        return v;
    const s = stringFlag(v)?.toLowerCase();
    if (s === 'yes' || s === 'true' || s === '1')
        return true;
    if (s === 'no' || s === 'false' || s === '0')
        return false;
    throw new UsageError(`--${name} takes yes or no, not ${JSON.stringify(s)}`);
}
/**
 * `--format`, one vocabulary for every command: `json` everywhere, `yaml` where the output is a
 * document, `table` and `text` for human output (each accepted where the other is the default).
 */
function formatFlag(v, allowed, fallback) {
    let s = (stringFlag(v) ?? fallback).toLowerCase();
    if (s === 'table' && !allowed.includes('table') && allowed.includes('text'))
        s = 'text';
    if (s === 'text' && !allowed.includes('text') && allowed.includes('table'))
        s = 'table';
    if (s === 'yml')
        s = 'yaml';
    if (!allowed.includes(s))
        throw new UsageError(`--format must be one of ${allowed.join(', ')}, not ${JSON.stringify(stringFlag(v))}`);
    return s;
}
function positiveInt(v, name, fallback) {
    const s = stringFlag(v);
    if (s === undefined)
        return fallback;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`--${name} must be a positive integer, not ${JSON.stringify(s)}`);
    return n;
}

// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __nccwpck_require__(4006);
var picomatch_default = /*#__PURE__*/__nccwpck_require__.n(picomatch);
;// CONCATENATED MODULE: ./src/graph/select.ts


function matcher(globs) {
    const list = (globs ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter(Boolean);
    if (list.length === 0)
        return () => true;
    const m = picomatch_default()(list, { dot: true });
    return (name) => m(name);
}
/** Instances chosen by stack/component globs; deployable ones only unless asked otherwise. Order is stable: stack, then component. */
function selectInstances(instances, filter = {}) {
    const stackOk = matcher(filter.stacks);
    const componentOk = matcher(filter.components);
    return instances
        .filter((i) => (filter.includeAbstract || !i.abstract) && (filter.includeDisabled || i.enabled))
        .filter((i) => stackOk(i.stack) && componentOk(i.component))
        .sort((a, b) => (a.stack === b.stack ? cmp(a.component, b.component) : cmp(a.stack, b.stack)));
}
function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/**
 * For each stack/component pattern that matches no instance, a warning naming the closest known
 * names: an empty selection is never silent.
 */
function emptySelectionWarnings(instances, filter, words = { stacks: 'stacks', components: 'components' }) {
    const out = [];
    const check = (patterns, names, what) => {
        for (const p of (patterns ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter(Boolean)) {
            const m = picomatch_default()(p, { dot: true });
            if (names.some((n) => m(n)))
                continue;
            out.push(`${what} ${JSON.stringify(p)} matches nothing${didYouMean(p, names)}`);
        }
    };
    check(filter.stacks, [...new Set(instances.map((i) => i.stack))], words.stacks);
    check(filter.components, [...new Set(instances.map((i) => i.component))], words.components);
    return out;
}

// EXTERNAL MODULE: ./src/util/log-safe.ts
var log_safe = __nccwpck_require__(8854);
;// CONCATENATED MODULE: ./src/util/safe-path.ts



/**
 * The one gate through which names that come from YAML (stack names, component names, folder
 * names) become filesystem paths. It splits on `/` and refuses anything that could escape the
 * directory it is joined onto: empty, `.` or `..` segments, absolute paths, backslashes, NUL
 * and other control characters.
 */
function safe_path_safeRelativeSegments(name, what) {
    if (typeof name !== 'string' || name.length === 0)
        throw new util_errors/* AtmosError */.f7(`${what} is empty`);
    if (log_safe/* CONTROL_CHAR */.b4.test(name))
        throw new util_errors/* AtmosError */.f7(`${what} ${(0,log_safe/* showValue */.vp)(name)} contains a control character`);
    if (name.includes('\\'))
        throw new util_errors/* AtmosError */.f7(`${what} ${JSON.stringify(name)} contains a backslash`);
    if (name.startsWith('/') || external_node_path_default().isAbsolute(name))
        throw new util_errors/* AtmosError */.f7(`${what} ${JSON.stringify(name)} is an absolute path`);
    const segments = name.split('/');
    for (const s of segments) {
        if (s === '' || s === '.' || s === '..') {
            throw new util_errors/* AtmosError */.f7(`${what} ${JSON.stringify(name)} has an empty, "." or ".." path segment and would escape its directory`);
        }
    }
    return segments;
}
/** Joins a YAML-provided relative name under `root`, refusing traversal (see safeRelativeSegments). */
function safe_path_safeJoin(root, name, what) {
    const joined = external_node_path_default().join(root, ...safe_path_safeRelativeSegments(name, what));
    const rel = external_node_path_default().relative(root, joined);
    if (rel.startsWith('..') || external_node_path_default().isAbsolute(rel))
        throw new util_errors/* AtmosError */.f7(`${what} ${JSON.stringify(name)} escapes ${root}`);
    return joined;
}

;// CONCATENATED MODULE: ./src/util/paths.ts
/**
 * Every on-disk location the project manages, built in one place: the workdir tree under the base
 * path, its lock, scratch and trash folders, and the `.atmos/` files inside each workdir. Pure:
 * nothing here touches the filesystem. Other modules take paths from here and never spell them.
 */



/** The project's own folder under the base path: workdirs, their locks, scratch space and trash. */
const STATE_DIR = '.workdir';
/** `<basePath>/.workdir`: everything below it is ours, and no part of it may be a link (workdir/guard.ts). */
function stateRoot(basePath) {
    return external_node_path_default().join(basePath, STATE_DIR);
}
/**
 * Longest folder-name segment a workdir may have, in bytes: NAME_MAX (255 on Linux, macOS and
 * Windows) minus the longest suffix we add to it (`<name>.owner.json` beside the lock).
 */
const MAX_WORKDIR_SEGMENT_BYTES = 255 - '.owner.json'.length;
/** Folder under the base path that holds every instance's workdir. */
const WORKDIR_ROOT = external_node_path_default().join(STATE_DIR, 'terraform');
/** {@link WORKDIR_ROOT} with forward slashes, as shown to users and in JSON. */
const WORKDIR_ROOT_POSIX = `${STATE_DIR}/terraform`;
/** Folder inside a workdir with the project's own files (never synced, never deleted by a sync). */
const ATMOS_DIR = '.atmos';
/** Read only: where Atmos kept workdir metadata before the `.atmos/` folder. */
const LEGACY_METADATA_FILE = '.workdir-metadata.json';
/**
 * Escapes an instance name the way Atmos ≥ 1.226 does (`-`→`-h`, then `/`→`-s`, `\`→`-b`), so
 * `vpc-a` and `vpc/a` can never land in the same folder.
 */
function escapeInstanceName(component) {
    return component.replace(/-/g, '-h').replace(/\//g, '-s').replace(/\\/g, '-b');
}
/** Workdir folder name relative to the workdir root: `<stack>-<escaped instance>`; a `/` in the stack stays a sub-folder. */
function workdirName(stack, component) {
    safe_path_safeRelativeSegments(stack, 'stack name');
    safe_path_safeRelativeSegments(component, 'component name');
    const name = `${stack}-${escapeInstanceName(component)}`;
    for (const seg of name.split('/')) {
        const bytes = Buffer.byteLength(seg);
        if (bytes > MAX_WORKDIR_SEGMENT_BYTES) {
            throw new util_errors/* AtmosError */.f7(`component ${component} in stack ${stack}: its workdir folder name is ${bytes} bytes long, more than the ` +
                `${MAX_WORKDIR_SEGMENT_BYTES} a file name can hold here (with the lock's suffix); shorten the stack or component name`);
        }
    }
    return name;
}
/** `<basePath>/.workdir/terraform`. */
function workdirRoot(basePath) {
    return external_node_path_default().join(basePath, WORKDIR_ROOT);
}
/** `<basePath>/.workdir/terraform/<stack>-<escaped instance>`: the only place a workdir path is built. */
function paths_buildWorkdirPath(basePath, stack, component) {
    return safe_path_safeJoin(workdirRoot(basePath), workdirName(stack, component), 'workdir name');
}
/** A workdir found on disk by its folder name relative to the root (`/`-separated). */
function workdirPathFromName(basePath, name) {
    return external_node_path_default().join(workdirRoot(basePath), ...name.split('/'));
}
/** The lock key for an instance's workdir: outside the workdir, so deleting the workdir never deletes a held lock. */
function workdirLockKey(basePath, stack, component) {
    return workdirLockKeyFromName(basePath, workdirName(stack, component));
}
/** The lock key of a workdir found on disk by its folder name (`/`-separated): clean needs no metadata to lock it. */
function workdirLockKeyFromName(basePath, name) {
    return external_node_path_default().join(basePath, STATE_DIR, '.locks', 'terraform', ...name.split('/'));
}
/** Scratch space for fetches, on the workdirs' filesystem (so a rename into place is atomic). */
function workdirTmpRoot(basePath) {
    return external_node_path_default().join(basePath, STATE_DIR, '.tmp');
}
/**
 * One fetch's scratch folder in {@link workdirTmpRoot}: named after the process that made it, so a
 * clean removes only the ones whose process is gone (never one in use), whatever the workdir's name length.
 */
function workdirScratchPath(basePath, pid, token) {
    return external_node_path_default().join(workdirTmpRoot(basePath), `${pid}-${token}`);
}
/** The pid a scratch folder name was made by (see workdirScratchPath), or null for a name we did not make. */
function scratchOwnerPid(name) {
    const m = /^(\d+)-[0-9a-f]+$/.exec(name);
    return m ? Number(m[1]) : null;
}
/** Where a removed workdir is renamed to before it is deleted (a half-deleted workdir never looks like one). */
function workdirTrashRoot(basePath) {
    return external_node_path_default().join(basePath, STATE_DIR, '.trash');
}
/** `<workdir>/.atmos`. */
function atmosDir(workdir) {
    return external_node_path_default().join(workdir, ATMOS_DIR);
}
/** `<workdir>/.atmos/metadata.json`: Atmos's workdir metadata. */
function metadataPath(workdir) {
    return external_node_path_default().join(workdir, ATMOS_DIR, 'metadata.json');
}
/** `<workdir>/.workdir-metadata.json`: the legacy metadata location (read only). */
function legacyMetadataPath(workdir) {
    return external_node_path_default().join(workdir, LEGACY_METADATA_FILE);
}
/** `<workdir>/.atmos/manifest.json`: the per-file record of the last sync. */
function manifestPath(workdir) {
    return external_node_path_default().join(workdir, ATMOS_DIR, 'manifest.json');
}
/** `<workdir>/.atmos/provision.complete`: present only after a provision finished. */
function sentinelPath(workdir) {
    return external_node_path_default().join(workdir, ATMOS_DIR, 'provision.complete');
}
/** `<workdir>/.atmos/provision.in-progress`: written before the first change, removed after the sentinel. */
function inProgressPath(workdir) {
    return external_node_path_default().join(workdir, ATMOS_DIR, 'provision.in-progress');
}
/**
 * Atmos's naming can, in rare cases, map two instances to one folder (stack `a` + `b-c` and
 * stack `a-b` + `hc` both give `a-b-hc`). Sharing a workdir is exactly what we exist to prevent,
 * so such a pair is refused by name.
 */
function assertDistinctWorkdirs(items) {
    const seen = new Map();
    for (const it of items) {
        const name = workdirName(it.stack, it.component);
        const prev = seen.get(name);
        if (prev && (prev.stack !== it.stack || prev.component !== it.component)) {
            throw new util_errors/* AtmosError */.f7(`instances ${prev.component} (stack ${prev.stack}) and ${it.component} (stack ${it.stack}) would share the workdir ` +
                `${external_node_path_default().join(WORKDIR_ROOT, name)}; rename one of them`);
        }
        seen.set(name, it);
    }
}
/**
 * The plans directory: what a plan leg hands to the comment job and to apply, one folder per
 * instance. The artifacts of every leg are merged into one such directory, so folder names must be
 * unique per instance across legs: `<escaped stack>--<escaped instance>`. Escaping turns every `-`
 * into `-h` (and `/`, `\` into `-s`, `-b`), so `--` never occurs inside an escaped part and the
 * first `--` always separates the two: two instances never share a folder.
 */
const PLANS_DIR_NAME = 'atmos-plans';
/** Files inside one instance's plan folder. */
const PLAN_FILES = {
    planfile: 'tfplan',
    encryptedPlanfile: 'tfplan.enc',
    result: 'result.json',
    meta: 'plan-meta.json',
    /** The verified (decrypted) planfile apply hands to terraform; removed after the apply. */
    applying: 'tfplan.apply',
};
/** Default plans directory when the user names none: `<RUNNER_TEMP or tmp>/atmos-plans`. */
function defaultPlansDir(tempRoot) {
    return path.join(tempRoot, PLANS_DIR_NAME);
}
/** Folder name of one instance's plan (see {@link PLANS_DIR_NAME}). */
function planFolderName(stack, component) {
    safeRelativeSegments(stack, 'stack name');
    safeRelativeSegments(component, 'component name');
    return `${escapeInstanceName(stack)}--${escapeInstanceName(component)}`;
}
/** `<plansDir>/<escaped stack>--<escaped instance>`. */
function planFolderPath(plansDir, stack, component) {
    return safeJoin(plansDir, planFolderName(stack, component), 'plan folder name');
}
/** A file of an instance's plan folder. */
function planFilePath(folder, file) {
    return path.join(folder, PLAN_FILES[file]);
}
// ─── provider store ───────────────────────────────────────────────────────────────────────────
/**
 * The provider store's root: `ATMOS_ACTION_PROVIDER_STORE` (or an explicit setting) first; on a
 * GitHub runner `$RUNNER_TOOL_CACHE/atmos-action/providers` (outside the workspace, kept for the
 * job); otherwise the per-user cache directory `$XDG_CACHE_HOME/atmos-action/providers` or
 * `~/.cache/atmos-action/providers`. Pure: the caller passes the environment.
 */
function providerStoreRoot(env, configured) {
    const explicit = configured || env.ATMOS_ACTION_PROVIDER_STORE;
    if (explicit)
        return external_node_path_default().resolve(explicit);
    if (env.GITHUB_ACTIONS === 'true' && env.RUNNER_TOOL_CACHE)
        return external_node_path_default().join(env.RUNNER_TOOL_CACHE, 'atmos-action', 'providers');
    if (env.XDG_CACHE_HOME && external_node_path_default().isAbsolute(env.XDG_CACHE_HOME))
        return external_node_path_default().join(env.XDG_CACHE_HOME, 'atmos-action', 'providers');
    if (!env.HOME)
        throw new util_errors/* AtmosError */.f7('cannot place the provider store: HOME is not set (set ATMOS_ACTION_PROVIDER_STORE)');
    return external_node_path_default().join(env.HOME, '.cache', 'atmos-action', 'providers');
}
/** Layout inside the store root. Only `packages/` is a filesystem mirror terraform reads. */
const providerStorePaths = (root) => ({
    /** Unpacked packages, terraform's layout: the `filesystem_mirror` path. */
    packages: external_node_path_default().join(root, 'packages'),
    /** One sentinel per verified package (its `h1:` and a stat fingerprint); same sub-layout as packages. */
    verified: external_node_path_default().join(root, 'verified'),
    /** Per-package install locks and the lock that serialises inits without a lock file. */
    locks: external_node_path_default().join(root, 'locks'),
    /** Scratch installs and trash: same filesystem as packages, so publishing is one rename. */
    tmp: external_node_path_default().join(root, 'tmp'),
    /** Generated CLI configurations, named by their content hash. */
    cliConfigs: external_node_path_default().join(root, 'cli-config'),
});

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __nccwpck_require__(8815);
;// CONCATENATED MODULE: ./src/util/yaml-append.ts
/** Marks an array that came from an `!append` sequence. Non-enumerable, so JSON output ignores it. */
const APPEND = Symbol('atmos.append');
function isAppendList(v) {
    return Array.isArray(v) && v[APPEND] === true;
}
function markAppend(list) {
    Object.defineProperty(list, APPEND, { value: true, enumerable: false });
    return list;
}

;// CONCATENATED MODULE: ./src/util/yaml-to-js.ts


/**
 * Converts a parsed YAML document to plain JS in one pass, in document order.
 *
 * Why not `doc.toJS()`: the `yaml` package resolves every alias by scanning all anchors and
 * aliases that come before it, so a manifest with many `<<: *defaults` takes time quadratic in
 * its size (a 20 MB manifest took half a minute), and its alias limit counts something else than
 * Atmos's reader does. Here an anchor is a map lookup, and aliases are counted the way go-yaml v3
 * counts them (see AliasBudget and docs/yaml.md).
 *
 * Semantics kept from `doc.toJS()`: an alias yields the same JS value as its anchor (no copy), a
 * `<<` merge key copies the keys of its source maps that the map does not set itself (explicit
 * keys win wherever they stand, earlier sources win over later ones), `!append` sequences are
 * marked, and a scalar with a local tag (`!env FOO`) becomes the string `"!env FOO"`.
 */
/** A conversion failure at a source offset; the caller turns it into an error naming file and line. */
class YamlConvertError extends Error {
    offset;
    constructor(message, offset) {
        super(message);
        this.offset = offset;
    }
}
/** go-yaml v3's bounds on alias expansion (decode.go, allowedAliasRatio). */
const RATIO_RANGE_LOW = 400_000;
const RATIO_RANGE_HIGH = 4_000_000;
/** Expanded sizes are counted, never built; capping keeps the arithmetic finite for any bomb. */
const WEIGHT_CAP = 1e15;
function allowedAliasRatio(decodes) {
    if (decodes <= RATIO_RANGE_LOW)
        return 0.99;
    if (decodes >= RATIO_RANGE_HIGH)
        return 0.1;
    return 0.99 - 0.89 * ((decodes - RATIO_RANGE_LOW) / (RATIO_RANGE_HIGH - RATIO_RANGE_LOW));
}
/**
 * Counts decoded nodes as go-yaml v3 does: every node decoded is one, and every node decoded
 * through an alias (the anchor's whole subtree, again, each time) is also an aliased one. It
 * refuses once aliased > 100, decoded > 1000 and aliased/decoded > allowedAliasRatio(decoded).
 */
class AliasBudget {
    decodes = 0;
    aliased = 0;
    node(offset) {
        this.decodes++;
        this.check(offset);
    }
    /** An alias node (one decode) whose target expands to `weight` decodes. */
    alias(weight, offset) {
        this.decodes = Math.min(this.decodes + 1 + weight, WEIGHT_CAP);
        this.aliased = Math.min(this.aliased + weight, WEIGHT_CAP);
        this.check(offset);
    }
    check(offset) {
        if (this.aliased > 100 && this.decodes > 1000 && this.aliased / this.decodes > allowedAliasRatio(this.decodes)) {
            const pct = (r) => `${(100 * r).toFixed(2)}%`;
            const decoded = this.decodes >= WEIGHT_CAP ? 'more than 10^15' : String(this.decodes);
            throw new YamlConvertError(`document contains excessive aliasing: aliases would expand to ${pct(this.aliased / this.decodes)} ` +
                `of the ${decoded} nodes decoded so far, above the ${pct(allowedAliasRatio(this.decodes))} ` +
                'allowed (the limit of go-yaml v3, which Atmos uses)', offset);
        }
    }
}
const start = (node) => node?.range?.[0];
class YamlToJs {
    /** The latest node defining each anchor name, as YAML scopes anchors (later ones shadow). */
    anchors = new Map();
    budget = new AliasBudget();
    document(doc) {
        this.budget.node(undefined);
        return doc.contents == null ? null : this.convert(doc.contents);
    }
    convert(node) {
        if (dist/* isAlias */.Vj(node))
            return this.aliasValue(node);
        const n = node;
        const entry = n.anchor ? { node: n, value: undefined, weight: undefined } : undefined;
        const before = this.budget.decodes;
        if (entry)
            this.anchors.set(n.anchor, entry);
        this.budget.node(start(n));
        let value;
        if (dist/* isScalar */.jn(n))
            value = scalarValue(n);
        else if (dist/* isMap */.jh(n))
            value = this.map(n);
        else if (dist/* isSeq */.oP(n))
            value = this.seq(n);
        else if (dist/* isPair */.tO(n))
            value = this.map({ items: [n] }); // `[a: 1]`
        else
            throw new YamlConvertError('unsupported YAML node', start(n));
        if (entry) {
            entry.value = value;
            entry.weight = this.budget.decodes - before;
        }
        return value;
    }
    anchored(alias) {
        const entry = this.anchors.get(alias.source);
        if (!entry)
            throw new YamlConvertError(`unknown anchor "${alias.source}" (an anchor must come before its aliases)`, start(alias));
        if (entry.weight === undefined)
            throw new YamlConvertError(`anchor "${alias.source}" contains an alias to itself`, start(alias));
        return entry;
    }
    aliasValue(alias) {
        const entry = this.anchored(alias);
        this.budget.alias(entry.weight, start(alias));
        return entry.value;
    }
    map(map) {
        const out = {};
        const explicit = new Set();
        for (const pair of map.items) {
            if (isMergeKey(pair.key)) {
                this.mergeInto(out, pair.value);
                continue;
            }
            const key = this.key(pair.key);
            if (explicit.has(key))
                throw new YamlConvertError('Map keys must be unique', start(pair.key));
            explicit.add(key);
            const value = pair.value == null ? this.nullValue() : this.convert(pair.value);
            if (key in out)
                Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
            else
                out[key] = value;
        }
        return out;
    }
    seq(seq) {
        const out = [];
        for (const item of seq.items)
            out.push(item == null ? this.nullValue() : this.convert(item));
        return seq.tag === '!append' ? markAppend(out) : out;
    }
    /** An empty value (`key:` with nothing after it) is a null node to go-yaml too. */
    nullValue() {
        this.budget.node(undefined);
        return null;
    }
    key(node) {
        const v = node == null ? this.nullValue() : this.convert(node);
        if (v === null)
            return '';
        if (typeof v === 'object')
            throw new YamlConvertError('a map key must be a scalar', start(node));
        return String(v);
    }
    /** `<<: source`, `<<: *alias` or `<<: [sources]`: copies the keys the map does not set itself. */
    mergeInto(out, value) {
        const sources = dist/* isSeq */.oP(value) ? value.items : [value];
        for (const src of sources) {
            const targetNode = dist/* isAlias */.Vj(src) ? this.anchored(src).node : src;
            if (!dist/* isMap */.jh(targetNode))
                throw new YamlConvertError('Merge sources must be maps or map aliases', start(src));
            const merged = this.convert(src);
            for (const k of Object.keys(merged)) {
                if (Object.prototype.hasOwnProperty.call(out, k))
                    continue; // set explicitly or by an earlier source
                Object.defineProperty(out, k, { value: merged[k], writable: true, enumerable: true, configurable: true });
            }
        }
    }
}
function isMergeKey(key) {
    return dist/* isScalar */.jn(key) && (typeof key.value === 'symbol' || (key.type === 'PLAIN' && key.value === '<<'));
}
/** A scalar's JS value; a local tag (`!env FOO`) keeps the tag in the string, as Atmos stores YAML functions. */
function scalarValue(node) {
    const tag = node.tag;
    if (tag && tag.startsWith('!') && !tag.startsWith('!!')) {
        const text = node.source ?? String(node.value ?? '');
        return text === '' ? tag : `${tag} ${text}`;
    }
    return node.value;
}

;// CONCATENATED MODULE: ./src/util/yaml.ts



/**
 * YAML as Atmos's Go reader (go-yaml v3) sees it: YAML 1.2 core schema (`yes`/`on` stay strings),
 * anchors, aliases and `<<` merge keys on.
 *
 * Custom tags:
 * - `!append` on a sequence marks the resulting array (see APPEND) so the deep merge appends it
 *   whatever the list merge strategy.
 * - Any other local tag on a scalar (`!env FOO`, `!terraform.output vpc id`) is kept as the string
 *   `"!tag value"`, which is how Atmos stores YAML functions before evaluating them.
 *
 * Alias expansion is bounded as go-yaml v3 bounds it, and conversion takes time linear in the
 * size of the file: see yaml-to-js.ts and docs/yaml.md.
 */

/** Declared so `!append` is a known tag; the converter marks the array (yaml-to-js.ts). */
const appendTag = {
    tag: '!append',
    collection: 'seq',
    resolve: (seq) => seq,
};
const PARSE_OPTIONS = {
    version: '1.2',
    schema: 'core',
    merge: true,
    customTags: [appendTag],
    // Duplicate keys are found while converting (yaml-to-js.ts): the library's own check compares
    // each key with every earlier key of its map, quadratic for a map of thousands of components.
    uniqueKeys: false,
};
/** Parses one YAML document into plain JS. Errors name the file and line. */
function parseYaml(text, file) {
    const lineCounter = new dist/* LineCounter */.HN();
    let doc;
    try {
        doc = dist/* parseDocument */.Tp(text, { ...PARSE_OPTIONS, lineCounter, prettyErrors: false });
    }
    catch (e) {
        throw new util_errors/* AtmosError */.f7(`invalid YAML: ${e.message}`, { file, cause: e });
    }
    if (doc.errors.length > 0) {
        const err = doc.errors[0];
        const line = err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line;
        const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        throw new util_errors/* AtmosError */.f7(`invalid YAML: ${message}`, { file, line });
    }
    try {
        return new YamlToJs().document(doc);
    }
    catch (e) {
        if (!(e instanceof YamlConvertError))
            throw e;
        const line = e.offset === undefined ? undefined : lineCounter.linePos(e.offset).line;
        throw new util_errors/* AtmosError */.f7(`invalid YAML: ${e.message}`, { file, line });
    }
}
/**
 * Line of the node at `keyPath` in `text`, or undefined. Used only on the error path, so the
 * fast path keeps no source positions in memory.
 */
function lineOf(text, keyPath) {
    try {
        const lineCounter = new dist/* LineCounter */.HN();
        const doc = dist/* parseDocument */.Tp(text, { ...PARSE_OPTIONS, lineCounter });
        // Prefer the key's own line (where the user wrote `name:`), falling back to the value's.
        let node = doc.contents;
        let line;
        for (const k of keyPath) {
            if (!dist/* isMap */.jh(node) && !dist/* isSeq */.oP(node))
                return line;
            if (dist/* isMap */.jh(node)) {
                const pair = node.items.find((p) => dist/* isScalar */.jn(p.key) && String(p.key.value) === String(k));
                if (!pair)
                    return line;
                const keyNode = pair.key;
                if (keyNode.range)
                    line = lineCounter.linePos(keyNode.range[0]).line;
                node = pair.value;
            }
            else {
                node = node.items[Number(k)];
                const n = node;
                if (n?.range)
                    line = lineCounter.linePos(n.range[0]).line;
            }
        }
        return line;
    }
    catch {
        return undefined;
    }
}
/** YAML text for output (`--format yaml`), keys in the order given. */
function toYaml(value) {
    return dist/* stringify */.As(value, { version: '1.2', lineWidth: 0, aliasDuplicateObjects: false });
}

;// CONCATENATED MODULE: ./src/util/merge.ts

function isPlainMap(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** The one empty result, shared (and frozen, so an accidental write fails loudly instead of leaking). */
const EMPTY = Object.freeze({});
function deepMerge(inputs, strategy = 'replace') {
    let first;
    let maps;
    for (const input of inputs) {
        if (!isPlainMap(input) || isEmptyMap(input))
            continue;
        if (first === undefined)
            first = input;
        else if (maps === undefined)
            maps = [first, input];
        else
            maps.push(input);
    }
    if (maps)
        return mergeMaps(maps, strategy);
    return first ?? EMPTY;
}
/** deepMerge of three layers without allocating when at most one of them has content (the common case). */
function merge3(a, b, c, strategy) {
    const ha = isPlainMap(a) && !isEmptyMap(a);
    const hb = isPlainMap(b) && !isEmptyMap(b);
    const hc = isPlainMap(c) && !isEmptyMap(c);
    if (!hb && !hc)
        return ha ? a : EMPTY;
    if (!ha && !hc)
        return b;
    if (!ha && !hb)
        return c;
    return deepMerge([a, b, c], strategy);
}
function isEmptyMap(m) {
    for (const _k in m)
        return false;
    return true;
}
/**
 * Merges several maps at once (one new object per level instead of one per pair). Keys keep the
 * order a pairwise left-to-right merge would give them.
 */
function mergeMaps(maps, strategy) {
    const out = {};
    for (let i = 0; i < maps.length; i++) {
        for (const k of Object.keys(maps[i])) {
            if (k in out)
                continue;
            out[k] = mergeKey(maps, i, k, strategy);
        }
    }
    return out;
}
/** Value of key `k` folded over maps[from..]: maps gather and merge, anything else replaces. */
function mergeKey(maps, from, k, strategy) {
    let acc = maps[from][k];
    let pending;
    for (let j = from + 1; j < maps.length; j++) {
        const m = maps[j];
        if (!(k in m))
            continue;
        const v = m[k];
        if (isPlainMap(v) && isPlainMap(acc)) {
            if (isEmptyMap(v))
                continue;
            if (pending)
                pending.push(v);
            else if (isEmptyMap(acc))
                acc = v;
            else
                pending = [acc, v];
            continue;
        }
        // A non-map replaces whatever maps gathered so far.
        pending = undefined;
        acc = Array.isArray(v) && Array.isArray(acc) ? mergeLists(acc, v, strategy) : v;
    }
    return pending ? mergeMaps(pending, strategy) : acc;
}
function mergeLists(dst, src, strategy) {
    if (isAppendList(src)) {
        // The result appends when merged again only if it is appends all the way down: `[a] + !append [b]`
        // replaces like `[a]` would. This keeps merging associative (resolve.ts groups layers).
        const out = [...dst, ...src];
        return isAppendList(dst) ? markAppend(out) : out;
    }
    switch (strategy) {
        case 'append':
            return [...dst, ...src];
        case 'merge': {
            const out = dst.slice();
            src.forEach((s, i) => {
                if (i >= dst.length)
                    out.push(s);
                else if (isPlainMap(dst[i]) && isPlainMap(s))
                    out[i] = deepMerge([dst[i], s], strategy);
            });
            return out;
        }
        default:
            return src;
    }
}
/** Map at `key` of `m`, or undefined when absent or not a map. */
function mapAt(m, key) {
    if (!isPlainMap(m))
        return undefined;
    const v = m[key];
    return isPlainMap(v) ? v : undefined;
}
/** Deep structural equality of plain YAML values. */
function deepEqual(a, b) {
    if (a === b)
        return true;
    if (Array.isArray(a)) {
        return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
    }
    if (isPlainMap(a)) {
        if (!isPlainMap(b))
            return false;
        const ka = Object.keys(a);
        if (ka.length !== Object.keys(b).length)
            return false;
        return ka.every((k) => k in b && deepEqual(a[k], b[k]));
    }
    return false;
}

;// CONCATENATED MODULE: ./src/stacks/describe.ts



/** Keys sorted recursively, as Atmos's Go maps print. Lists keep their order. */
function sortKeys(v) {
    if (Array.isArray(v))
        return v.map(sortKeys);
    if (isPlainMap(v)) {
        const out = {};
        for (const k of Object.keys(v).sort())
            out[k] = sortKeys(v[k]);
        return out;
    }
    return v;
}
/** `describe component` output: Atmos's fields plus `workdir`, the instance's isolated workdir. */
function describeComponent(instance, config) {
    return sortKeys({
        ...instance.sections,
        workdir: paths_buildWorkdirPath(config.basePath, instance.stack, instance.component),
    });
}
/**
 * `describe stacks` shape: `{<stack>: {components: {terraform: {<component>: section}}}}`, with
 * `component_info.component_path` relative to the base path as Atmos prints it there.
 */
function describeStacks(resolved, config, filter = {}) {
    const out = {};
    for (const i of resolved.instances) {
        if (filter.stacks?.length && !filter.stacks.includes(i.stack))
            continue;
        if (filter.components?.length && !filter.components.includes(i.component))
            continue;
        const stack = (out[i.stack] ??= { components: { terraform: {} } });
        let section = {
            ...i.sections,
            component_info: {
                ...i.sections.component_info,
                component_path: external_node_path_default().relative(config.basePath, i.componentPath).split((external_node_path_default()).sep).join('/'),
            },
        };
        if (!config.describeIncludeEmpty)
            section = dropEmpty(section);
        stack.components.terraform[i.component] = section;
    }
    return sortKeys(out);
}
function dropEmpty(m) {
    const out = {};
    for (const [k, v] of Object.entries(m)) {
        if (isPlainMap(v) && Object.keys(v).length === 0)
            continue;
        out[k] = v;
    }
    return out;
}

;// CONCATENATED MODULE: ./src/ports/log.ts
/** A log that drops everything (tests, benchmarks). */
const silentLog = { debug() { }, info() { }, warn() { }, error() { } };
/** A log that records lines, for tests that assert on what the user is told. */
function memoryLog() {
    const lines = [];
    const push = (level) => (m) => void lines.push(`${level}: ${m}`);
    return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

;// CONCATENATED MODULE: ./src/stacks/backend.ts
function withDefault(cache, backend, key, value) {
    let byValue = cache.defaultedBackends.get(backend);
    if (!byValue) {
        byValue = new Map();
        cache.defaultedBackends.set(backend, byValue);
    }
    const cacheKey = `${key}\u0000${value}`;
    let out = byValue.get(cacheKey);
    if (!out) {
        out = { ...backend, [key]: value };
        byValue.set(cacheKey, out);
    }
    return out;
}
/** s3 workspace_key_prefix, gcs prefix and azurerm key defaults (§2.2). */
function withBackendDefaults(cache, config, type, backend, n) {
    const sep = config.terraform.workspacePrefixSeparator;
    const rawPrefix = n.metadataName || (n.baseComponent !== n.name ? n.baseComponent : '') || n.name;
    const prefix = rawPrefix.includes('/') ? rawPrefix.replace(/\//g, sep) : rawPrefix;
    if (type === 's3' && (backend.workspace_key_prefix === undefined || backend.workspace_key_prefix === null)) {
        return withDefault(cache, backend, 'workspace_key_prefix', prefix);
    }
    if (type === 'gcs' && (backend.prefix === undefined || backend.prefix === null)) {
        return withDefault(cache, backend, 'prefix', prefix);
    }
    if (type === 'azurerm' && !n.componentAzurermKey()) {
        const key = [n.globalAzurermKey, `${prefix}.terraform.tfstate`].filter(Boolean).join('/');
        return { ...backend, key };
    }
    return backend;
}

;// CONCATENATED MODULE: ./src/stacks/base-components.ts



function str(v) {
    return typeof v === 'string' ? v : undefined;
}
/** An error about a component, pointing at the file (and line) that defines it and the import chain to it. */
function componentError(reader, top, name, message, key = []) {
    // Point at the file that defines the component, not just the top-level manifest, when we can.
    const files = [top, ...reader.transitiveImports(top)].reverse();
    const file = files.find((f) => name in reader.componentsDefinedIn(f)) ?? top;
    const text = reader.textOf(file);
    const line = text ? lineOf(text, ['components', 'terraform', name, ...key]) : undefined;
    const chain = file === top ? [top] : [top, file];
    return new util_errors/* AtmosError */.f7(message, { file, line, chain });
}
/**
 * Walks a component's `component:` and `metadata.inherits` chain (§3), collecting each base's
 * sections in order; reuses the chain of a definition already walked in this resolution.
 */
function basesOf(cache, config, reader, top, name, components) {
    const own = components[name];
    if (!isPlainMap(own))
        return collectBases(cache, config, reader, top, name, components, []);
    const hit = cache.baseChains.get(own);
    if (hit && hit.looked.every(([n, v]) => components[n] === v))
        return hit.layers;
    const looked = [];
    const layers = collectBases(cache, config, reader, top, name, components, looked);
    cache.baseChains.set(own, { looked, layers });
    return layers;
}
function collectBases(cache, config, reader, top, name, allComponents, looked) {
    const layers = { order: [], raws: [], metadata: [], inheritance: [] };
    const visiting = [name];
    const components = new Proxy(allComponents, {
        get(target, key) {
            const v = target[key];
            looked.push([key, v]);
            return v;
        },
    });
    const processChain = (raw, owner) => {
        const legacy = str(raw.component);
        if (legacy && legacy !== owner && isPlainMap(components[legacy]))
            processBase(legacy, owner, ['component']);
        const md = mapAt(raw, 'metadata');
        const inherits = md?.inherits;
        if (inherits === undefined || inherits === null)
            return;
        if (!Array.isArray(inherits) || inherits.some((b) => typeof b !== 'string')) {
            throw componentError(reader, top, owner, `component ${owner}: metadata.inherits must be a list of component names`, ['metadata', 'inherits']);
        }
        for (const b of inherits)
            processBase(b, owner, ['metadata', 'inherits']);
    };
    const processBase = (base, owner, key) => {
        if (visiting.includes(base)) {
            throw componentError(reader, top, owner, `inheritance cycle: ${[...visiting.slice(visiting.indexOf(base)), base].join(' → ')}`, key);
        }
        const raw = components[base];
        if (raw === undefined) {
            throw componentError(reader, top, owner, `component ${owner} inherits from ${base}, which is not defined in stack manifest ${reader.rel(top)} or its imports`, key);
        }
        const braw = isPlainMap(raw) ? raw : {};
        visiting.push(base);
        processChain(braw, base);
        visiting.pop();
        layers.raws.push(braw);
        if (config.stacks.inheritMetadata) {
            const md = inheritableMetadata(cache, braw);
            if (md)
                layers.metadata.push(md);
        }
        // Atmos assigns these scalars from every processed base in turn, empty included (§3 quirk).
        layers.backendType = str(braw.backend_type) ?? '';
        layers.remoteStateBackendType = str(braw.remote_state_backend_type) ?? '';
        layers.command = str(braw.command) ?? '';
        const rv = str(braw.required_version);
        if (rv)
            layers.requiredVersion = rv;
        layers.order.push(base);
    };
    const own = allComponents[name];
    processChain(isPlainMap(own) ? own : {}, name);
    layers.inheritance = inheritanceList(layers.order);
    return layers;
}
/** A base's metadata as its children inherit it: everything but `inherits` and `type` (§3). */
function inheritableMetadata(cache, base) {
    if (cache.inheritableMetadata.has(base))
        return cache.inheritableMetadata.get(base);
    const md = mapAt(base, 'metadata');
    let rest;
    if (md) {
        const { inherits: _i, type: _t, ...others } = md;
        rest = others;
    }
    cache.inheritableMetadata.set(base, rest);
    return rest;
}
function folderOf(name, components, seen = new Set()) {
    const raw = components[name];
    if (!isPlainMap(raw) || seen.has(name))
        return name;
    seen.add(name);
    const mdc = str(mapAt(raw, 'metadata')?.component);
    if (mdc)
        return mdc;
    const legacy = str(raw.component);
    if (legacy && legacy !== name && isPlainMap(components[legacy]))
        return folderOf(legacy, components, seen);
    return name;
}
/** Bases in reverse processing order, deduplicated: highest priority first (§3). */
function inheritanceList(order) {
    const out = [];
    for (const b of [...order].reverse())
        if (!out.includes(b))
            out.push(b);
    return out;
}

;// CONCATENATED MODULE: ./src/stacks/names.ts


/**
 * Names Atmos derives from a resolved component: canonical stack name (§1.3), Terraform workspace
 * (§5.3), varfile and planfile (§5.2).
 */
const CONTEXT_TOKENS = ['namespace', 'tenant', 'environment', 'stage'];
const patternTokens = new Map();
/** The vars a name_pattern uses: only {namespace} {tenant} {environment} {stage} count (§1.3). */
function tokensOf(pattern) {
    let tokens = patternTokens.get(pattern);
    if (!tokens) {
        tokens = pattern
            .split('-')
            .map((part) => /^\{(\w+)\}$/.exec(part)?.[1])
            .filter((t) => t !== undefined && CONTEXT_TOKENS.includes(t));
        patternTokens.set(pattern, tokens);
    }
    return tokens;
}
/** `{tenant}-{environment}-{stage}` → value from vars; undefined when a token's var is missing. */
function renderNamePattern(pattern, vars) {
    let out = '';
    for (const t of tokensOf(pattern)) {
        const v = vars[t];
        if (v === undefined || v === null || v === '')
            return undefined;
        out = out ? `${out}-${String(v)}` : String(v);
    }
    return out || undefined;
}
/**
 * Renders the `{{ .vars.x }}`-only subset of Go templates that `stacks.name_template` uses in
 * practice. Anything else (functions, pipes, conditionals) is refused rather than guessed.
 * Returns undefined when a referenced value is missing.
 */
function renderSimpleTemplate(template, data, what) {
    let missing = false;
    const out = template.replace(/(\s*)\{\{(-?)\s*([^}]*?)\s*(-?)\}\}(\s*)/g, (_all, pre, trimL, expr, trimR, post) => {
        if (!/^\.[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(expr)) {
            throw new util_errors/* AtmosError */.f7(`${what} uses the template expression {{ ${expr} }}; atmos-action evaluates only plain field references like {{ .vars.stage }}`);
        }
        let cur = data;
        for (const key of expr.slice(1).split('.'))
            cur = isPlainMap(cur) ? cur[key] : undefined;
        if (cur === undefined || cur === null)
            missing = true;
        return `${trimL ? '' : pre}${cur === undefined || cur === null ? '' : String(cur)}${trimR ? '' : post}`;
    });
    if (out.includes('{{'))
        throw new util_errors/* AtmosError */.f7(`${what} ${JSON.stringify(template)} is not a template atmos-action can evaluate`);
    return missing ? undefined : out;
}
/** Terraform workspace, §5.3. Returns undefined when it needs a Go template (terraform_workspace_template). */
function buildWorkspace(w) {
    if (!w.workspacesEnabled || w.backendType === 'http')
        return 'default';
    const md = w.metadata;
    let ws;
    const own = w.ownMetadata;
    const ownLiteral = typeof own.terraform_workspace === 'string' && own.terraform_workspace !== '';
    const ownPatternOrTemplate = Boolean(own.terraform_workspace_pattern) || Boolean(own.terraform_workspace_template);
    if (ownLiteral && !ownPatternOrTemplate) {
        // Atmos 1.226 drops an inherited pattern/template when the instance sets a literal (§5.3).
        ws = own.terraform_workspace;
    }
    else if (typeof md.terraform_workspace_template === 'string' && md.terraform_workspace_template !== '') {
        return undefined;
    }
    else if (typeof md.terraform_workspace_pattern === 'string' && md.terraform_workspace_pattern !== '') {
        const ctx = (k) => (w.contextTokensFromVars && w.vars[k] !== undefined && w.vars[k] !== null ? String(w.vars[k]) : '');
        const attributes = Array.isArray(w.vars.attributes) ? w.vars.attributes.map(String).join('-') : '';
        const tokens = {
            namespace: ctx('namespace'),
            tenant: ctx('tenant'),
            environment: ctx('environment'),
            region: ctx('region'),
            stage: ctx('stage'),
            attributes: w.contextTokensFromVars ? attributes : '',
            component: w.component,
            'base-component': w.baseComponent,
            'component-path': w.baseComponent.replace(/\//g, '-'),
            workspace: '',
        };
        ws = md.terraform_workspace_pattern.replace(/\{([\w-]+)\}/g, (all, t) => (t in tokens ? tokens[t] : all));
    }
    else if (typeof md.terraform_workspace === 'string' && md.terraform_workspace !== '') {
        ws = md.terraform_workspace;
    }
    else if (w.baseComponent === w.component) {
        ws = w.stack;
    }
    else {
        ws = `${w.stack}-${w.component}`;
    }
    return ws.replace(/\//g, '-');
}
/** `<stack>-[<prefix>-]<comp>` shared by the varfile and planfile names (§5.2). */
function fileStem(stack, component, baseComponent) {
    const comp = component.slice(component.lastIndexOf('/') + 1);
    const folder = baseComponent || component;
    const cut = folder.lastIndexOf('/');
    const prefix = cut > 0 ? folder.slice(0, cut).replace(/\//g, '-') : '';
    return prefix ? `${stack}-${prefix}-${comp}` : `${stack}-${comp}`;
}
function names_varfileName(stack, component, baseComponent) {
    return `${fileStem(stack, component, baseComponent)}.terraform.tfvars.json`;
}
function names_planfileName(stack, component, baseComponent) {
    return `${fileStem(stack, component, baseComponent)}.planfile`;
}

;// CONCATENATED MODULE: ./src/stacks/instance.ts

/** An Instance whose `sections` (the describe shape) is assembled from its fields on access, not stored. */
class ResolvedInstance {
    constructor(fields) {
        // Field by field rather than Object.assign: this runs once per instance (10,000s per run).
        this.stack = fields.stack;
        this.component = fields.component;
        this.baseComponent = fields.baseComponent;
        this.executionComponent = fields.executionComponent;
        this.componentPath = fields.componentPath;
        this.stackFile = fields.stackFile;
        this.stackFilePath = fields.stackFilePath;
        this.vars = fields.vars;
        this.settings = fields.settings;
        this.env = fields.env;
        this.providers = fields.providers;
        this.backendType = fields.backendType;
        this.backend = fields.backend;
        this.remoteStateBackendType = fields.remoteStateBackendType;
        this.remoteStateBackend = fields.remoteStateBackend;
        this.metadata = fields.metadata;
        this.overrides = fields.overrides;
        this.source = fields.source;
        this.provision = fields.provision;
        this.command = fields.command;
        this.inheritance = fields.inheritance;
        this.workspace = fields.workspace;
        this.abstract = fields.abstract;
        this.enabled = fields.enabled;
        this.locked = fields.locked;
        this.varfileName = fields.varfileName;
        this.planfileName = fields.planfileName;
        this.dependencies = fields.dependencies;
        this.passthrough = fields.passthrough;
        this.dependsOn = fields.dependsOn;
        this.unsupported = fields.unsupported;
    }
    get sections() {
        return {
            atmos_component: this.component,
            atmos_manifest: this.stackFile,
            atmos_stack: this.stack,
            atmos_stack_file: this.stackFile,
            backend: this.backend,
            backend_type: this.backendType,
            command: this.command,
            component: this.baseComponent,
            component_info: { component_path: this.componentPath, component_type: 'terraform' },
            dependencies: this.dependencies,
            env: this.env,
            inheritance: this.inheritance,
            metadata: this.metadata,
            overrides: this.overrides,
            providers: this.providers,
            provision: this.provision,
            remote_state_backend: this.remoteStateBackend,
            remote_state_backend_type: this.remoteStateBackendType,
            settings: this.settings,
            source: this.source,
            stack: this.stack,
            vars: this.vars,
            workspace: this.workspace,
            ...this.passthrough,
        };
    }
}
/**
 * An Instance built by hand (library users, tests, benchmarks): the identity fields are required,
 * every section defaults to empty and the names follow the same rules as a resolved one.
 */
function instanceOf(fields) {
    const baseComponent = fields.baseComponent ?? fields.component;
    return new ResolvedInstance({
        baseComponent,
        executionComponent: baseComponent,
        stackFile: fields.stack,
        stackFilePath: '',
        vars: {},
        settings: {},
        env: {},
        providers: {},
        backendType: '',
        backend: {},
        remoteStateBackendType: '',
        remoteStateBackend: {},
        metadata: baseComponent !== fields.component ? { component: baseComponent } : {},
        overrides: {},
        source: {},
        provision: {},
        command: 'terraform',
        inheritance: [],
        workspace: baseComponent !== fields.component ? `${fields.stack}-${fields.component}` : fields.stack,
        abstract: false,
        enabled: true,
        locked: false,
        varfileName: varfileName(fields.stack, fields.component, baseComponent),
        planfileName: planfileName(fields.stack, fields.component, baseComponent),
        dependencies: {},
        passthrough: {},
        dependsOn: [],
        unsupported: [],
        ...fields,
    });
}

;// CONCATENATED MODULE: ./src/stacks/unsupported.ts
/**
 * The scan for features atmos-action does not evaluate yet (YAML functions, Go templates), and the
 * error a command raises when a selected instance uses one.
 */


const YAML_FUNCTION = /^!(terraform\.(output|state)|env|exec|store(\.get)?|template|include(\.raw)?|repo-root|cwd|random|aws\.[a-z_]+|literal|secret|unset|sops|vault)(\s|$)/;
/** Records YAML functions and (when templates are on) Go templates, which are not evaluated (yet). */
function findUnsupported(sections, templatesEnabled, out) {
    const walk = (v, at) => {
        if (typeof v === 'string') {
            if (YAML_FUNCTION.test(v))
                out.push({ path: at, value: v, kind: 'yaml-function' });
            else if (templatesEnabled && v.includes('{{'))
                out.push({ path: at, value: v, kind: 'go-template' });
        }
        else if (Array.isArray(v)) {
            v.forEach((x, i) => walk(x, `${at}[${i}]`));
        }
        else if (isPlainMap(v)) {
            for (const [k, x] of Object.entries(v))
                walk(x, at ? `${at}.${k}` : k);
        }
    };
    for (const s of ['vars', 'settings', 'env', 'providers', 'backend', 'remote_state_backend', 'metadata', 'source', 'provision', 'dependencies', 'command', 'generate', 'required_providers']) {
        walk(sections[s], s);
    }
}
/** The error an entry point raises when a selected instance needs something we do not evaluate. */
function assertEvaluable(instance) {
    if (instance.unsupported.length === 0)
        return;
    const list = instance.unsupported
        .slice(0, 10)
        .map((u) => `  ${u.file ? `${u.file}${u.line ? `:${u.line}` : ''}: ` : ''}${u.path}: ${u.value} (${u.kind === 'yaml-function' ? 'YAML function' : 'Go template'})`)
        .join('\n');
    const more = instance.unsupported.length > 10 ? `\n  … and ${instance.unsupported.length - 10} more` : '';
    throw new util_errors/* AtmosError */.f7(`component ${instance.component} in stack ${instance.stack} uses features atmos-action does not evaluate yet, so its values would be wrong:\n${list}${more}`, { file: instance.unsupported[0].file ?? instance.stackFilePath, line: instance.unsupported[0].line });
}

;// CONCATENATED MODULE: ./src/stacks/component.ts








/** What most instances carry as passthrough sections: nothing. Shared, so 10,000 instances hold one. */
const EMPTY_PASSTHROUGH = Object.freeze({
    auth: {},
    generate: {},
    hooks: {},
    required_providers: {},
    required_version: '',
});
/** Bases + component layers of each section, per component definition (shared across stacks). */
function componentPartsOf(cache, raw, bases) {
    let entry = cache.componentParts.get(raw);
    if (!entry || entry.bases.length !== bases.length || entry.bases.some((b, i) => b !== bases[i])) {
        entry = { bases, parts: new Map() };
        cache.componentParts.set(raw, entry);
    }
    return entry.parts;
}
function lastNonEmpty(...values) {
    let out = '';
    for (const v of values)
        if (v)
            out = v;
    return out;
}
function resolveComponent(cache, config, reader, top, name, g, overrides) {
    const raw = isPlainMap(g.components[name]) ? g.components[name] : {};
    const bases = basesOf(cache, config, reader, top, name, g.components);
    const noSourceInheritance = !config.stacks.inheritSource;
    const baseList = (s) => bases.raws.length === 0 || (noSourceInheritance && (s === 'source' || s === 'provision')) ? [] : bases.raws.map((b) => b[s]);
    // Merging is associative under replace/append (merge.ts), so the stack-wide layers (root,
    // terraform) are merged once per stack and the catalog-side layers (bases, component) once per
    // definition, shared by every stack that imports it. The element-wise `merge` strategy is not
    // associative, and a component with its own strategy is rare: both fold every layer in order.
    const parts = componentPartsOf(cache, raw, bases.raws);
    const headOf = (s, withRoot) => s === 'env' ? [config.env, g.root.env, g.tf.env] : [withRoot ? g.root[s] : undefined, g.tf[s]];
    const mergeLayers = (s, strategy, opts) => {
        const top = opts.overrides ? overrides[s] : undefined;
        if (strategy !== config.listMergeStrategy || strategy === 'merge') {
            return deepMerge([...headOf(s, opts.root), ...baseList(s), raw[s], top], strategy);
        }
        let head = g.stackParts.get(s);
        if (!head) {
            head = deepMerge(headOf(s, opts.root), strategy);
            g.stackParts.set(s, head);
        }
        let tail = parts.get(s);
        if (!tail) {
            tail = deepMerge([...baseList(s), raw[s]], strategy);
            parts.set(s, tail);
        }
        return merge3(head, tail, top, strategy);
    };
    // settings first: a component may choose its own list_merge_strategy (§2.3).
    const settingsGlobal = mergeLayers('settings', config.listMergeStrategy, { root: true, overrides: true });
    const own = str(settingsGlobal.list_merge_strategy);
    const strategy = own === 'append' || own === 'merge' || own === 'replace' ? own : config.listMergeStrategy;
    const merge = (layers) => deepMerge(layers, strategy);
    const layered = (s) => mergeLayers(s, strategy, { root: true, overrides: true });
    const vars = layered('vars');
    const settings = strategy === config.listMergeStrategy ? settingsGlobal : layered('settings');
    const tfOnly = (s, withOverrides) => mergeLayers(s, strategy, { root: false, overrides: withOverrides });
    const envMerged = layered('env');
    let env = envMerged;
    if (Object.values(envMerged).some((v) => v === null || v === undefined)) {
        env = {};
        for (const [k, v] of Object.entries(envMerged))
            if (v !== null && v !== undefined)
                env[k] = v;
    }
    const cacheMetadata = strategy === config.listMergeStrategy;
    let metadataTail = cacheMetadata ? parts.get('\u0000metadata') : undefined;
    if (!metadataTail) {
        metadataTail = merge([...bases.metadata, raw.metadata]);
        if (cacheMetadata)
            parts.set('\u0000metadata', metadataTail);
    }
    const metadata = merge3(g.rootMetadata, metadataTail, undefined, strategy);
    const ownMetadata = mapAt(raw, 'metadata') ?? {};
    const baseComponent = folderOf(name, g.components);
    const executionComponent = str(metadata.component) || baseComponent;
    const backendType = lastNonEmpty(str(g.tf.backend_type), bases.backendType, str(raw.backend_type));
    const ownBackend = mapAt(raw, 'backend');
    if (backendType && ownBackend && Object.keys(ownBackend).length > 0 && !(backendType in ownBackend)) {
        throw componentError(reader, top, name, `component ${name}: backend configures ${Object.keys(ownBackend).join(', ')} but backend_type is ${backendType}; ` +
            `put the settings under backend.${backendType} or change backend_type`, ['backend']);
    }
    const backendAll = merge([g.tf.backend, ...baseList('backend'), raw.backend]);
    // Checked once the canonical stack name is known, to name it.
    const missingSections = [];
    // A backend section that configures other types but not this one would be silently ignored.
    if (backendType && Object.keys(backendAll).length > 0 && !isPlainMap(backendAll[backendType])) {
        missingSections.push(['backend_type', backendType, 'backend']);
    }
    const backend = withBackendDefaults(cache, config, backendType, mapAt(backendAll, backendType) ?? {}, {
        name,
        baseComponent,
        metadataName: str(metadata.name),
        globalAzurermKey: str(mapAt(mapAt(g.tf, 'backend'), 'azurerm')?.key),
        componentAzurermKey: () => str(mapAt(merge([...baseList('backend'), raw.backend]), 'azurerm')?.key),
    });
    const explicitRemoteStateType = lastNonEmpty(str(g.tf.remote_state_backend_type), bases.remoteStateBackendType, str(raw.remote_state_backend_type));
    const remoteStateBackendType = explicitRemoteStateType || backendType;
    if (explicitRemoteStateType && explicitRemoteStateType !== backendType) {
        const layers = [g.tf.remote_state_backend, ...baseList('remote_state_backend'), raw.remote_state_backend];
        if (!layers.some((l) => isPlainMap(mapAt(l, explicitRemoteStateType)))) {
            missingSections.push(['remote_state_backend_type', explicitRemoteStateType, 'remote_state_backend']);
        }
    }
    // Starts from the resolved backend (defaults filled in), and only when the types agree (§2.2, §5.4).
    const remoteStateBackend = merge([
        remoteStateBackendType === backendType ? backend : undefined,
        mapAt(g.tf.remote_state_backend, remoteStateBackendType),
        ...baseList('remote_state_backend').map((b) => mapAt(b, remoteStateBackendType)),
        mapAt(raw.remote_state_backend, remoteStateBackendType),
    ]);
    const command = lastNonEmpty(config.terraform.command, str(g.tf.command), bases.command, str(raw.command), str(overrides.command)) || 'terraform';
    const requiredVersion = lastNonEmpty(str(g.tf.required_version), bases.requiredVersion, str(raw.required_version));
    const sourceLayers = [g.tf.source, ...baseList('source'), raw.source];
    const lastSource = [...sourceLayers].reverse().find((s) => s !== undefined && s !== null);
    const source = typeof lastSource === 'string' ? { uri: lastSource } : merge(sourceLayers);
    const provision = merge([g.tf.provision, ...baseList('provision'), raw.provision]);
    const dependencies = merge([g.root.dependencies, g.tf.dependencies, ...baseList('dependencies'), raw.dependencies]);
    // Canonical stack name (§1.3).
    const stackFile = g.stackFile;
    let stack = g.manifestName;
    let byTemplate = false;
    if (!stack && config.stacks.nameTemplate) {
        const namingData = { vars, settings, env, metadata, component: baseComponent, atmos_component: name };
        stack = renderNameTemplate(config, namingData);
        byTemplate = stack !== undefined;
    }
    if (!stack && config.stacks.namePattern)
        stack = renderNamePattern(config.stacks.namePattern, vars);
    if (!stack)
        stack = stackFile;
    if (missingSections.length) {
        const [key, type, section] = missingSections[0];
        throw componentError(reader, top, name, `component ${name} in stack ${stack}: ${key} is ${type}, but there is no ${section}.${type} section; add one (it may be empty: ${section}: {${type}: {}}) or change ${key}`, [key]);
    }
    try {
        for (const [value, what] of [
            [stack, 'stack name'],
            [name, 'component name'],
            [baseComponent, 'metadata.component'],
            [executionComponent, 'metadata.component'],
        ]) {
            if (g.checkedNames.has(value))
                continue;
            safe_path_safeRelativeSegments(value, what);
            g.checkedNames.add(value);
        }
    }
    catch (e) {
        throw componentError(reader, top, name, `component ${name} in stack ${stack}: ${e.message}`);
    }
    const unsupported = [];
    const workspace = buildWorkspace({
        stack,
        component: name,
        baseComponent,
        backendType,
        metadata,
        ownMetadata,
        vars,
        workspacesEnabled: config.terraform.workspacesEnabled,
        contextTokensFromVars: !byTemplate,
    }) ?? '';
    if (workspace === '') {
        unsupported.push({ path: 'metadata.terraform_workspace_template', value: String(metadata.terraform_workspace_template), kind: 'go-template' });
    }
    const abstract = ownMetadata.type === 'abstract';
    const enabled = metadata.enabled !== false;
    const locked = metadata.locked === true;
    let componentPath = g.componentPaths.get(executionComponent);
    if (componentPath === undefined) {
        componentPath = safe_path_safeJoin(config.terraform.basePath, executionComponent, 'component folder');
        g.componentPaths.set(executionComponent, componentPath);
    }
    let passthrough = {
        auth: layered('auth'),
        generate: layered('generate'),
        hooks: layered('hooks'),
        required_providers: tfOnly('required_providers', true),
        required_version: requiredVersion,
    };
    if (isPlainMap(raw.depends_on))
        passthrough.depends_on = raw.depends_on;
    for (const s of ['secrets', 'retry', 'test', 'mocks']) {
        const v = tfOnly(s, s === 'retry');
        if (Object.keys(v).length)
            passthrough[s] = v;
    }
    if (deepEqual(passthrough, EMPTY_PASSTHROUGH))
        passthrough = EMPTY_PASSTHROUGH;
    const instance = new ResolvedInstance({
        stack,
        component: name,
        baseComponent,
        executionComponent,
        componentPath,
        stackFile,
        stackFilePath: top,
        vars,
        settings,
        env,
        providers: tfOnly('providers', true),
        backendType,
        backend,
        remoteStateBackendType,
        remoteStateBackend,
        metadata,
        overrides,
        source,
        provision,
        command,
        inheritance: bases.inheritance,
        workspace,
        abstract,
        enabled,
        locked,
        varfileName: names_varfileName(stack, name, baseComponent),
        planfileName: names_planfileName(stack, name, baseComponent),
        dependencies,
        passthrough,
        dependsOn: [],
        unsupported,
    });
    if (g.mayHoldFunctions)
        findUnsupported(instance.sections, config.templatesEnabled, unsupported);
    return instance;
}
/** stacks.name_template → stack name; a template we cannot evaluate is an error at its line in atmos.yaml. */
function renderNameTemplate(config, data) {
    const from = config.stacks.nameTemplateFrom;
    try {
        return renderSimpleTemplate(config.stacks.nameTemplate ?? '', data, from?.env ? `stacks.name_template (from ${from.env})` : 'stacks.name_template');
    }
    catch (e) {
        if (!(e instanceof util_errors/* AtmosError */.f7) || !from?.file)
            throw e;
        throw new util_errors/* AtmosError */.f7(e.message, { file: from.file, line: from.line });
    }
}

;// CONCATENATED MODULE: ./src/stacks/dependencies.ts

/**
 * Fills `dependsOn` of every instance, as Atmos 1.226 matches dependencies:
 * - `dependencies.components` (when non-empty) wins: `{component|name, stack?, kind?}`, same stack
 *   when `stack` is absent;
 * - otherwise legacy `settings.depends_on` (or a component-level `depends_on`): a map of
 *   `{component, stack?, namespace?, tenant?, environment?, stage?}`. With `stack` the match is
 *   exact; with no stack and no context fields it is the same stack; otherwise each set field must
 *   equal the target's var and each unset one the dependent's own var.
 * File and folder entries are affected-detection inputs, not instance edges, and are skipped here.
 * An entry naming no existing instance is warned about and skipped (as Atmos's scheduler does).
 */
const CONTEXT_FIELDS = ['namespace', 'tenant', 'environment', 'stage'];
/** Runs while the instances are still being built, so it takes the mutable class, not the read-only Instance. */
function resolveDependencies(instances, log) {
    const byComponent = new Map();
    for (const i of instances) {
        const list = byComponent.get(i.component);
        if (list)
            list.push(i);
        else
            byComponent.set(i.component, [i]);
    }
    const exists = (component, stack) => byComponent.get(component)?.some((t) => t.stack === stack) ?? false;
    for (const inst of instances) {
        const refs = [];
        const add = (component, stack, via) => {
            if (component === inst.component && stack === inst.stack)
                return;
            if (!refs.some((r) => r.component === component && r.stack === stack))
                refs.push({ component, stack, via });
        };
        const declared = inst.dependencies.components;
        if (Array.isArray(declared) && declared.length > 0) {
            for (const entry of declared) {
                if (!isPlainMap(entry))
                    continue;
                const kind = entry.kind;
                if (kind !== undefined && kind !== 'terraform')
                    continue;
                const component = typeof entry.component === 'string' ? entry.component : typeof entry.name === 'string' ? entry.name : undefined;
                if (!component)
                    continue;
                const stack = typeof entry.stack === 'string' && entry.stack !== '' ? entry.stack : inst.stack;
                if (stack.includes('{{')) {
                    inst.unsupported.push({ path: 'dependencies.components.stack', value: stack, kind: 'go-template' });
                    continue;
                }
                if (exists(component, stack))
                    add(component, stack, 'dependencies.components');
                else
                    warnMissing(log, inst, component, stack);
            }
        }
        else {
            const own = mapAt(inst.passthrough, 'depends_on');
            const fromSettings = mapAt(inst.settings, 'depends_on');
            if (!own && !fromSettings) {
                inst.dependsOn = refs;
                continue;
            }
            const legacy = { ...own, ...fromSettings };
            for (const entry of Object.values(legacy)) {
                if (!isPlainMap(entry) || typeof entry.component !== 'string' || entry.component === '')
                    continue;
                const component = entry.component;
                const targets = matchLegacy(inst, entry, byComponent.get(component) ?? []);
                if (targets.length === 0)
                    warnMissing(log, inst, component, typeof entry.stack === 'string' ? entry.stack : inst.stack);
                for (const t of targets)
                    add(component, t.stack, 'settings.depends_on');
            }
        }
        inst.dependsOn = refs;
    }
}
function matchLegacy(dependent, entry, candidates) {
    if (typeof entry.stack === 'string' && entry.stack !== '')
        return candidates.filter((c) => c.stack === entry.stack);
    const setFields = CONTEXT_FIELDS.filter((f) => entry[f] !== undefined && entry[f] !== null && entry[f] !== '');
    if (setFields.length === 0)
        return candidates.filter((c) => c.stack === dependent.stack);
    return candidates.filter((c) => CONTEXT_FIELDS.every((f) => {
        const want = setFields.includes(f) ? entry[f] : dependent.vars[f];
        return String(c.vars[f] ?? '') === String(want ?? '');
    }));
}
function warnMissing(log, inst, component, stack) {
    log.warn(`${inst.component} (stack ${inst.stack}) depends on ${component} in stack ${stack}, which does not exist; ignoring that dependency`);
}

;// CONCATENATED MODULE: ./src/util/walk.ts


/** Files under `dir` (recursively) whose name `accept`s, sorted; unreadable folders are skipped. */
function listFilesRecursive(dir, accept) {
    const out = [];
    const walk = (d) => {
        let entries;
        try {
            entries = external_node_fs_default().readdirSync(d, { withFileTypes: true });
        }
        catch {
            return;
        }
        for (const e of entries) {
            const p = external_node_path_default().join(d, e.name);
            if (e.isDirectory())
                walk(p);
            else if ((e.isFile() || e.isSymbolicLink()) && accept(e.name))
                out.push(p);
        }
    };
    walk(dir);
    return out.sort();
}

;// CONCATENATED MODULE: ./src/stacks/manifests.ts





/** Extensions a stack manifest may have, in the order Atmos tries them for an extension-less path. */
const STACK_EXTENSIONS = ['.yaml', '.yml', '.yaml.tmpl', '.yml.tmpl'];
function hasStackExtension(p) {
    return STACK_EXTENSIONS.some((e) => p.endsWith(e));
}
/** Path relative to stacks.base_path without its extension: the manifest's "file name" (§1.3). */
function stackFileName(stacksBase, file) {
    const rel = external_node_path_default().relative(stacksBase, file).split((external_node_path_default()).sep).join('/');
    const ext = STACK_EXTENSIONS.slice().sort((a, b) => b.length - a.length).find((e) => rel.endsWith(e)) ?? '';
    return rel.slice(0, rel.length - ext.length);
}
/** Every file under `dir` with a stack extension, sorted. */
function listStackFiles(dir) {
    return listFilesRecursive(dir, hasStackExtension);
}
/**
 * Top-level stack manifests: files under stacks.base_path matched by `included_paths` and not by
 * `excluded_paths`. An include pattern without an extension also tries each stack extension.
 */
function findTopLevelManifests(stacks, noConfig) {
    if (noConfig) {
        const found = external_node_fs_default().existsSync(stacks.basePath) ? findTopLevelManifests(stacks) : [];
        if (found.length === 0) {
            throw new util_errors/* AtmosError */.f7(`no atmos.yaml found (looked for atmos.yaml and .atmos.yaml in ${noConfig.cwd} and each parent directory; ATMOS_CLI_CONFIG_PATH is not set), ` +
                `and Atmos's defaults (stacks.base_path ${external_node_path_default().relative(noConfig.cwd, stacks.basePath) || '.'}, included_paths orgs/**/*) find no stack manifests` +
                (external_node_fs_default().existsSync(stacks.basePath) ? ` under ${stacks.basePath}` : ` (${stacks.basePath} does not exist)`) +
                ': run from the repository holding atmos.yaml, or point at it (CLI -C, action input working-directory)');
        }
        return found;
    }
    if (!external_node_fs_default().existsSync(stacks.basePath)) {
        throw new util_errors/* AtmosError */.f7(`stacks base path ${stacks.basePath} does not exist (check stacks.base_path in atmos.yaml)`);
    }
    if (stacks.includedPaths.length === 0) {
        throw new util_errors/* AtmosError */.f7('stacks.included_paths is empty in atmos.yaml: no stack manifests selected');
    }
    const patterns = stacks.includedPaths.flatMap((p) => (hasStackExtension(p) ? [p] : [p, ...STACK_EXTENSIONS.map((e) => p + e)]));
    const include = picomatch_default()(patterns, { dot: true });
    const exclude = stacks.excludedPaths.length ? picomatch_default()(stacks.excludedPaths, { dot: true }) : () => false;
    return listStackFiles(stacks.basePath).filter((f) => include(f) && !exclude(f));
}

;// CONCATENATED MODULE: ./src/stacks/imports.ts







/**
 * Reads stack manifests and their imports (Atmos 1.226's import and overrides rules).
 * Longer than 300 lines on purpose: one ManifestReader owns the per-file caches (parsed YAML,
 * import lists, override scopes) that import resolution and file-scoped overrides both read.
 *
 * Each file is read and parsed once, and its import-merged content ("tree") is computed once and
 * shared by every stack that imports it: a file's tree does not depend on who imports it. The one
 * thing that does, the file-scoped `overrides` of §2.4, is computed separately per top-level
 * manifest by `componentOverrides`.
 */
const ROOT_METADATA_KEYS = new Set(['labels', 'tags', 'custom', 'enabled', 'locked', 'terraform_workspace_pattern']);
class ManifestReader {
    config;
    files = new Map();
    trees = new Map();
    hasOverrides = new Map();
    hasSpecial = new Map();
    dirListings = new Map();
    /** Import targets by absolute path or pattern: every stack imports the same catalog entries. */
    importMatches = new Map();
    constructor(config) {
        this.config = config;
    }
    /** Parsed content of one manifest (cached). `chain` is the import chain that led here, for errors. */
    read(file, chain) {
        const cached = this.files.get(file);
        if (cached)
            return cached;
        let text;
        try {
            text = external_node_fs_default().readFileSync(file, 'utf8');
        }
        catch (e) {
            throw new util_errors/* AtmosError */.f7(`cannot read stack manifest: ${e.message}`, { file, chain });
        }
        if (file.endsWith('.tmpl') && text.includes('{{')) {
            throw new util_errors/* AtmosError */.f7('Go template manifests (.tmpl with {{ }}) are not evaluated by atmos-action yet; render it to plain YAML or remove the template', { file, chain });
        }
        let parsed;
        try {
            parsed = parseYaml(text, file);
        }
        catch (e) {
            if (e instanceof util_errors/* AtmosError */.f7)
                throw new util_errors/* AtmosError */.f7(e.message, { file: e.file, line: e.line, chain });
            throw e;
        }
        const data = parsed === null || parsed === undefined ? {} : parsed;
        if (!isPlainMap(data))
            throw new util_errors/* AtmosError */.f7('a stack manifest must be a map at the top level', { file, line: 1, chain });
        this.validate(file, text, data, chain);
        const entry = { file, text, data, imports: [] };
        this.files.set(file, entry);
        try {
            entry.imports = this.resolveImports(file, text, data, chain);
        }
        catch (e) {
            this.files.delete(file);
            throw e;
        }
        return entry;
    }
    fail(message, file, text, keyPath, chain) {
        throw new util_errors/* AtmosError */.f7(message, { file, line: lineOf(text, keyPath), chain });
    }
    validate(file, text, data, chain) {
        const meta = data.metadata;
        if (meta !== undefined && meta !== null) {
            if (!isPlainMap(meta))
                this.fail('`metadata` must be a map', file, text, ['metadata'], chain);
            for (const k of Object.keys(meta)) {
                if (!ROOT_METADATA_KEYS.has(k)) {
                    this.fail(`metadata.${k} is not allowed at the top level of a stack manifest (allowed: ${[...ROOT_METADATA_KEYS].join(', ')}); put it under a component`, file, text, ['metadata', k], chain);
                }
            }
        }
        for (const section of ['vars', 'settings', 'env', 'terraform', 'components', 'overrides']) {
            const v = data[section];
            if (v !== undefined && v !== null && !isPlainMap(v))
                this.fail(`\`${section}\` must be a map`, file, text, [section], chain);
        }
        const tf = mapAt(mapAt(data, 'components'), 'terraform');
        const rawTf = mapAt(data, 'components')?.terraform;
        if (rawTf !== undefined && rawTf !== null && !tf)
            this.fail('`components.terraform` must be a map', file, text, ['components', 'terraform'], chain);
        for (const [name, c] of Object.entries(tf ?? {})) {
            if (c !== null && !isPlainMap(c)) {
                this.fail(`component ${name} must be a map`, file, text, ['components', 'terraform', name], chain);
            }
            const md = isPlainMap(c) ? c.metadata : undefined;
            if (md !== undefined && md !== null && !isPlainMap(md)) {
                this.fail(`component ${name}: metadata must be a map`, file, text, ['components', 'terraform', name, 'metadata'], chain);
            }
        }
    }
    /** Import entries → files, per §2.1: base-path-relative or `./`/`../` file-relative, implied extensions, sorted globs. */
    resolveImports(file, text, data, chain) {
        const raw = data.import;
        if (raw === undefined || raw === null)
            return [];
        const entries = typeof raw === 'string' ? [raw] : raw;
        if (!Array.isArray(entries))
            this.fail('`import` must be a list', file, text, ['import'], chain);
        const out = [];
        entries.forEach((entry, i) => {
            let p = entry;
            let skipIfMissing = false;
            if (isPlainMap(entry)) {
                p = entry.path;
                skipIfMissing = entry.skip_if_missing === true;
                const ctx = entry.context;
                if (ctx !== undefined && ctx !== null && !(isPlainMap(ctx) && Object.keys(ctx).length === 0)) {
                    this.fail(`import ${JSON.stringify(p)} passes a \`context\`, which renders the imported file as a Go template; atmos-action does not evaluate templates yet`, file, text, ['import', i], chain);
                }
            }
            if (typeof p !== 'string' || p === '')
                this.fail('each import must be a path string or {path: ...}', file, text, ['import', i], chain);
            const importPath = p;
            if (importPath.includes('{{')) {
                this.fail(`import path ${JSON.stringify(importPath)} is a Go template, which atmos-action does not evaluate yet`, file, text, ['import', i], chain);
            }
            if (/^[a-z0-9+.-]+::|^[a-z]+:\/\//i.test(importPath)) {
                this.fail(`remote import ${JSON.stringify(importPath)} is not supported yet; vendor the file into the stacks folder`, file, text, ['import', i], chain);
            }
            const first = importPath.split('/')[0];
            const base = first === '.' || first === '..' ? external_node_path_default().dirname(file) : this.config.stacks.basePath;
            const abs = external_node_path_default().resolve(base, importPath);
            if (!this.insideRepository(abs)) {
                this.fail(`import ${JSON.stringify(importPath)} resolves to ${abs}, outside the repository (${this.config.basePath}); imports must stay inside it`, file, text, ['import', i], chain);
            }
            let matches = this.importMatches.get(abs);
            if (!matches) {
                matches = /[*?[{]/.test(importPath) ? this.glob(abs) : this.withExtension(abs);
                this.importMatches.set(abs, matches);
            }
            if (matches.length === 0) {
                if (skipIfMissing)
                    return;
                this.fail(`import ${JSON.stringify(importPath)} not found (looked for ${external_node_path_default().relative(this.config.basePath, abs) || abs}${hasStackExtension(abs) ? '' : '.yaml/.yml'})`, file, text, ['import', i], chain);
            }
            for (const m of matches) {
                if (m === file)
                    this.fail(`file imports itself (${JSON.stringify(importPath)})`, file, text, ['import', i], chain);
                out.push(m);
            }
        });
        return out;
    }
    /** Imports are names from YAML: they may use `../` but never leave the base path (or an outside stacks folder). */
    insideRepository(abs) {
        return [this.config.basePath, this.config.stacks.basePath].some((root) => {
            const rel = external_node_path_default().relative(root, abs);
            return rel === '' || (!rel.startsWith('..') && !external_node_path_default().isAbsolute(rel));
        });
    }
    withExtension(abs) {
        if (hasStackExtension(abs)) {
            if (!abs.endsWith('.tmpl') && isFile(abs + '.tmpl'))
                return [abs + '.tmpl'];
            return isFile(abs) ? [abs] : [];
        }
        const found = STACK_EXTENSIONS.map((e) => abs + e).find(isFile);
        return found ? [found] : [];
    }
    glob(absPattern) {
        const segments = absPattern.split((external_node_path_default()).sep);
        const firstGlob = segments.findIndex((s) => /[*?[{]/.test(s));
        const root = segments.slice(0, firstGlob).join((external_node_path_default()).sep) || (external_node_path_default()).sep;
        let listing = this.dirListings.get(root);
        if (!listing) {
            listing = listStackFiles(root);
            this.dirListings.set(root, listing);
        }
        const patterns = hasStackExtension(absPattern) ? [absPattern] : [absPattern, ...STACK_EXTENSIONS.map((e) => absPattern + e)];
        const m = picomatch_default()(patterns, { dot: true });
        return listing.filter((f) => m(f)).sort();
    }
    /**
     * The file merged over its imports: deep-merge(import_1 tree, …, import_n tree, the file), with
     * `import` and every `overrides` key removed (those are applied per stack, see componentOverrides).
     */
    tree(file, chain = []) {
        const cached = this.trees.get(file);
        if (cached)
            return cached;
        const here = [...chain, file];
        if (chain.includes(file)) {
            throw new util_errors/* AtmosError */.f7(`import cycle: ${here.map((f) => this.rel(f)).join(' → ')}`, { file, chain: here });
        }
        const m = this.read(file, here);
        const layers = m.imports.map((imp) => this.tree(imp, here));
        const result = deepMerge([...layers, ownContent(m.data)], this.config.listMergeStrategy);
        this.trees.set(file, result);
        return result;
    }
    /**
     * Per-component `overrides` for one top-level manifest (§2.4): every component defined in a
     * file gets merge(acc, inline), where inline is the file's own overrides under its importers'
     * and acc collects what earlier imports (and their subtrees) declared. Merged in the same
     * post-order as the data itself.
     */
    componentOverrides(top) {
        const result = new Map();
        const strategy = this.config.listMergeStrategy;
        const visit = (file, parentInline, parentAcc) => {
            if (isEmpty(parentInline) && isEmpty(parentAcc) && !this.subtreeHasOverrides(file))
                return [{}, {}];
            const m = this.read(file, [file]);
            const inline = deepMerge([m.data.overrides, mapAt(m.data, 'terraform')?.overrides, parentInline], strategy);
            let acc = parentAcc;
            for (const imp of m.imports) {
                const [ii, ia] = visit(imp, inline, acc);
                acc = deepMerge([acc, ia, ii], strategy);
            }
            const mine = deepMerge([acc, inline], strategy);
            if (!isEmpty(mine)) {
                for (const name of Object.keys(mapAt(mapAt(m.data, 'components'), 'terraform') ?? {})) {
                    result.set(name, deepMerge([result.get(name), mine], strategy));
                }
            }
            return [inline, acc];
        };
        visit(top, {}, {});
        return result;
    }
    subtreeHasOverrides(file) {
        const cached = this.hasOverrides.get(file);
        if (cached !== undefined)
            return cached;
        this.hasOverrides.set(file, false); // cycles were already refused by tree()
        const m = this.read(file, [file]);
        const own = !isEmpty(m.data.overrides) || !isEmpty(mapAt(m.data, 'terraform')?.overrides);
        const v = own || m.imports.some((i) => this.subtreeHasOverrides(i));
        this.hasOverrides.set(file, v);
        return v;
    }
    /**
     * Whether the file or anything it imports may hold a YAML function (`!tag`) or, when templates
     * are on, a Go template. When not, nothing from this tree needs scanning for unsupported values.
     */
    treeMayHoldFunctions(file) {
        const cached = this.hasSpecial.get(file);
        if (cached !== undefined)
            return cached;
        this.hasSpecial.set(file, false);
        const m = this.read(file, [file]);
        const own = m.text.includes('!') || (this.config.templatesEnabled && m.text.includes('{{'));
        const v = own || m.imports.some((i) => this.treeMayHoldFunctions(i));
        this.hasSpecial.set(file, v);
        return v;
    }
    /** All files a top-level manifest pulls in, transitively, in merge order (for `imports` / deps). */
    transitiveImports(top) {
        const out = new Set();
        const walk = (f) => {
            for (const i of this.read(f, [f]).imports) {
                walk(i);
                out.add(i);
            }
        };
        walk(top);
        return [...out];
    }
    /** Source text of an already-read file, for locating errors. */
    textOf(file) {
        return this.files.get(file)?.text;
    }
    /** Raw (pre-merge) component definitions of one file. */
    componentsDefinedIn(file) {
        return mapAt(mapAt(this.read(file, [file]).data, 'components'), 'terraform') ?? {};
    }
    rel(file) {
        return external_node_path_default().relative(this.config.basePath, file) || file;
    }
}
function isFile(p) {
    try {
        return external_node_fs_default().statSync(p).isFile();
    }
    catch {
        return false;
    }
}
function isEmpty(v) {
    return v === undefined || v === null || (isPlainMap(v) && Object.keys(v).length === 0);
}
/** A file's own content as it enters the merge: no `import`, no `overrides` anywhere. */
function ownContent(data) {
    const { import: _i, overrides: _o, ...rest } = data;
    const tf = mapAt(rest, 'terraform');
    if (tf && 'overrides' in tf) {
        const { overrides: _to, ...tfRest } = tf;
        rest.terraform = tfRest;
    }
    const comps = mapAt(mapAt(rest, 'components'), 'terraform');
    if (comps && Object.values(comps).some((c) => isPlainMap(c) && 'overrides' in c)) {
        const stripped = {};
        for (const [name, c] of Object.entries(comps)) {
            if (isPlainMap(c) && 'overrides' in c) {
                const { overrides: _co, ...cRest } = c;
                stripped[name] = cRest;
            }
            else
                stripped[name] = c;
        }
        rest.components = { ...rest.components, terraform: stripped };
    }
    return rest;
}

;// CONCATENATED MODULE: ./src/stacks/resolve-cache.ts
class ResolutionCache {
    /**
     * Base chains per component definition. A chain depends only on the definitions it looked up,
     * so it is reused while each name it looked up still maps to the same object.
     */
    baseChains = new Map();
    /** A base's metadata as its children inherit it, per base definition. */
    inheritableMetadata = new Map();
    /** Bases + component layers of each section, per component definition (shared across stacks). */
    componentParts = new Map();
    /** Backends with a defaulted prefix, per source backend and prefix: instances of one stack share one backend map. */
    defaultedBackends = new Map();
}

;// CONCATENATED MODULE: ./src/stacks/resolve.ts









const resolve_ROOT_METADATA_KEYS = ['labels', 'tags', 'custom', 'enabled', 'locked', 'terraform_workspace_pattern'];
function resolveStacks(config, opts = {}) {
    const includeAbstract = opts.includeAbstract ?? true;
    const log = opts.log ?? silentLog;
    const reader = new ManifestReader(config);
    const cache = new ResolutionCache();
    const manifests = findTopLevelManifests(config.stacks, config.configFile ? undefined : { cwd: config.configDir });
    const byKey = new Map();
    const checkedNames = new Set();
    const componentPaths = new Map();
    // atmos.yaml `env:` flows into every component's env.
    const atmosEnvMayHoldFunctions = JSON.stringify(config.env).includes('!');
    const errors = new util_errors/* ErrorCollector */.KO();
    const conflicts = new Map();
    for (const top of manifests) {
        errors.attempt(() => {
            const merged = reader.tree(top);
            const overrides = reader.componentOverrides(top);
            const globals = {
                stackFile: stackFileName(config.stacks.basePath, top),
                mayHoldFunctions: atmosEnvMayHoldFunctions || reader.treeMayHoldFunctions(top),
                checkedNames,
                componentPaths,
                stackParts: new Map(),
                root: merged,
                tf: mapAt(merged, 'terraform') ?? {},
                rootMetadata: pickKeys(mapAt(merged, 'metadata') ?? {}, resolve_ROOT_METADATA_KEYS),
                components: mapAt(mapAt(merged, 'components'), 'terraform') ?? {},
                manifestName: typeof merged.name === 'string' && merged.name !== '' ? merged.name : undefined,
            };
            for (const name of Object.keys(globals.components)) {
                if (!includeAbstract && mapAt(globals.components[name], 'metadata')?.type === 'abstract')
                    continue;
                const instance = errors.attempt(() => resolveComponent(cache, config, reader, top, name, globals, overrides.get(name) ?? {}));
                if (!instance)
                    continue;
                if (instance.unsupported.length)
                    locateUnsupported(reader, top, instance.unsupported);
                const key = `${instance.stack}\u0000${instance.component}`;
                const prev = byKey.get(key);
                if (prev && !deepEqual(comparable(prev.instance), comparable(instance))) {
                    conflicts.set(key, new util_errors/* AtmosError */.f7(`component ${name} is defined differently for stack ${instance.stack} in ${reader.rel(prev.file)} and ${reader.rel(top)}; ` +
                        'two manifests that resolve to the same stack name must agree (check `name:`, name_pattern/name_template and the vars they use)', { file: top }));
                }
                // The last definition wins, as in Atmos's describe stacks.
                if (!prev || conflicts.has(key))
                    byKey.set(key, { instance, file: top });
            }
        });
    }
    errors.throwIfAny();
    const instances = [...byKey.values()].map((v) => v.instance).sort(byStackThenComponent);
    resolveDependencies(instances, log);
    return { instances, manifests, conflicts };
}
/**
 * One instance by component and canonical stack name (Atmos knows a stack only by its canonical
 * name, docs/atmos-compatibility.md §1.3). Unknown names fail with the closest known ones.
 */
function findInstance(resolved, component, stack) {
    const hit = resolved.instances.find((i) => i.component === component && i.stack === stack);
    if (hit) {
        const conflict = resolved.conflicts.get(`${hit.stack}\u0000${hit.component}`);
        if (conflict)
            throw conflict;
        return hit;
    }
    assertKnownStack(resolved, stack);
    const inStack = resolved.instances.filter((i) => i.stack === stack).map((i) => i.component);
    throw new util_errors/* AtmosError */.f7(`component ${component} not found in stack ${stack}${didYouMean(component, inStack)} (it has: ${someOf(inStack.sort())})`);
}
/** Fails with Atmos's "invalid stack" and a hint when `stack` is not a canonical stack name. */
function assertKnownStack(resolved, stack) {
    if (resolved.instances.some((i) => i.stack === stack))
        return;
    const byFile = resolved.instances.find((i) => i.stackFile === stack);
    const hint = byFile ? `; did you mean "${byFile.stack}"? (the manifest ${stack} names its stack ${byFile.stack})` : didYouMean(stack, resolved.instances.map((i) => i.stack));
    throw new util_errors/* AtmosError */.f7(`invalid stack "${stack}"${hint}`);
}
/**
 * Where each unsupported value is written: the first file of the stack's tree (the manifest,
 * then its imports, latest first) whose text holds it, and the line there.
 */
function locateUnsupported(reader, top, features) {
    const files = [top, ...reader.transitiveImports(top).reverse()];
    for (const f of features) {
        // The whole first line of the value, else (quoted arguments) the tag or `{{` alone.
        const needles = [f.value.split('\n')[0], f.kind === 'yaml-function' ? f.value.split(/\s/)[0] : '{{'];
        for (const needle of needles) {
            const file = files.find((x) => reader.textOf(x)?.includes(needle));
            if (!file)
                continue;
            const text = reader.textOf(file);
            f.file = file;
            f.line = text.slice(0, text.indexOf(needle)).split('\n').length;
            break;
        }
    }
}
/** A readable list for an error message: the first 20 names, then how many more. */
function someOf(names) {
    if (names.length === 0)
        return '(none)';
    return names.length <= 20 ? names.join(', ') : `${names.slice(0, 20).join(', ')} and ${names.length - 20} more`;
}
function byStackThenComponent(a, b) {
    if (a.stack !== b.stack)
        return a.stack < b.stack ? -1 : 1;
    return a.component < b.component ? -1 : a.component > b.component ? 1 : 0;
}
/** What two definitions of one stack/component must agree on (everything but where they came from). */
function comparable(i) {
    const { atmos_stack_file: _f, atmos_manifest: _m, ...rest } = i.sections;
    return rest;
}
function pickKeys(m, keys) {
    const out = {};
    for (const k of keys)
        if (k in m)
            out[k] = m[k];
    return out;
}

;// CONCATENATED MODULE: ./src/config/load.ts







/**
 * atmos.yaml → AtmosConfig, as Atmos 1.226 reads it.
 *
 * Discovery, first found wins: `ATMOS_CLI_CONFIG_PATH` (a directory), then `atmos.yaml` or
 * `.atmos.yaml` in the working directory, then in each parent directory. The system and home
 * directory configs Atmos also merges are deliberately not read: a CI run must not depend on
 * the runner's home. `import:` entries and `.atmos.d/` beside the file are merged under it.
 */
const CONFIG_NAMES = ['atmos.yaml', '.atmos.yaml'];
/** Built-in defaults when no atmos.yaml exists (Atmos `pkg/config/default.go`). */
const DEFAULT_CONFIG = {
    base_path: '',
    stacks: {
        base_path: 'stacks',
        included_paths: ['orgs/**/*'],
        excluded_paths: ['**/_defaults.yaml'],
        name_pattern: '{tenant}-{environment}-{stage}',
    },
    components: {
        terraform: {
            base_path: 'components/terraform',
            auto_generate_backend_file: true,
            init_run_reconfigure: true,
            deploy_run_init: true,
        },
    },
};
function findConfigFile(cwd, env) {
    const fromEnv = env.ATMOS_CLI_CONFIG_PATH;
    if (fromEnv) {
        const dir = external_node_path_default().resolve(cwd, fromEnv);
        const direct = external_node_fs_default().existsSync(dir) && external_node_fs_default().statSync(dir).isFile() ? dir : undefined;
        const found = direct ?? CONFIG_NAMES.map((n) => external_node_path_default().join(dir, n)).find((f) => external_node_fs_default().existsSync(f));
        if (!found)
            throw new util_errors/* AtmosError */.f7(`ATMOS_CLI_CONFIG_PATH=${fromEnv}: no atmos.yaml in ${dir}`);
        return found;
    }
    let dir = external_node_path_default().resolve(cwd);
    for (;;) {
        const found = CONFIG_NAMES.map((n) => external_node_path_default().join(dir, n)).find((f) => external_node_fs_default().existsSync(f));
        if (found)
            return found;
        const parent = external_node_path_default().dirname(dir);
        if (parent === dir)
            return null;
        dir = parent;
    }
}
function readYamlMap(file) {
    let text;
    try {
        text = external_node_fs_default().readFileSync(file, 'utf8');
    }
    catch (e) {
        throw new util_errors/* AtmosError */.f7(`cannot read ${file}: ${e.message}`, { file });
    }
    const v = parseYaml(text, file);
    if (v === null || v === undefined)
        return {};
    if (!isPlainMap(v))
        throw new util_errors/* AtmosError */.f7('expected a map at the top level', { file, line: 1 });
    return v;
}
/** The config file merged over its `import:` entries and `.atmos.d/` (the file itself wins). */
function readConfigTree(file, seen = new Set()) {
    if (seen.has(file))
        throw new util_errors/* AtmosError */.f7('atmos.yaml import cycle', { file, chain: [...seen, file] });
    seen.add(file);
    const own = readYamlMap(file);
    const dir = external_node_path_default().dirname(file);
    const layers = [];
    const atmosD = external_node_path_default().join(dir, '.atmos.d');
    if (seen.size === 1 && external_node_fs_default().existsSync(atmosD)) {
        for (const f of listYamlFiles(atmosD))
            layers.push(readConfigTree(f, seen));
    }
    const imports = own.import;
    if (imports !== undefined) {
        if (!Array.isArray(imports))
            throw new util_errors/* AtmosError */.f7('`import` must be a list of paths', { file });
        for (const entry of imports) {
            if (typeof entry !== 'string')
                throw new util_errors/* AtmosError */.f7('`import` entries must be strings', { file });
            if (/^[a-z]+:\/\//i.test(entry))
                throw new util_errors/* AtmosError */.f7(`remote atmos.yaml imports are not supported: ${entry}`, { file });
            const target = external_node_path_default().resolve(dir, entry);
            const matches = /[*?[{]/.test(entry) ? globFiles(dir, entry) : [target];
            for (const m of matches) {
                if (!external_node_fs_default().existsSync(m))
                    throw new util_errors/* AtmosError */.f7(`imported config ${entry} not found (${m})`, { file });
                layers.push(readConfigTree(m, new Set(seen)));
            }
        }
    }
    const { import: _ignored, ...rest } = own;
    return deepMerge([...layers, rest]);
}
function listYamlFiles(dir) {
    return listFilesRecursive(dir, (name) => /\.ya?ml$/.test(name));
}
function globFiles(dir, pattern) {
    const m = picomatch_default()(external_node_path_default().resolve(dir, pattern), { dot: true });
    return listYamlFiles(dir).filter((f) => m(f));
}
function findGitRoot(start) {
    let dir = start;
    for (;;) {
        if (external_node_fs_default().existsSync(external_node_path_default().join(dir, '.git')))
            return dir;
        const parent = external_node_path_default().dirname(dir);
        if (parent === dir)
            return null;
        dir = parent;
    }
}
/** base_path rules of docs/atmos-compatibility.md §1.1. */
function resolveBasePath(raw, fromEnv, configDir, cwd) {
    if (external_node_path_default().isAbsolute(raw))
        return external_node_path_default().normalize(raw);
    if (fromEnv)
        return external_node_path_default().resolve(cwd, raw);
    const first = raw.split(/[\\/]/)[0];
    if (first === '.' || first === '..')
        return external_node_path_default().resolve(configDir, raw);
    const gitRoot = findGitRoot(configDir);
    if (gitRoot && external_node_fs_default().existsSync(external_node_path_default().join(gitRoot, raw)))
        return external_node_path_default().resolve(gitRoot, raw);
    return external_node_path_default().resolve(configDir, raw);
}
function load_str(v, what, file) {
    if (v === undefined || v === null)
        return undefined;
    if (typeof v !== 'string')
        throw new util_errors/* AtmosError */.f7(`${what} must be a string`, { file: file ?? undefined });
    return v;
}
function bool(v, fallback) {
    if (typeof v === 'boolean')
        return v;
    if (typeof v === 'string')
        return v === 'true';
    return fallback;
}
function envBool(env, name) {
    const v = env[name];
    if (v === undefined || v === '')
        return undefined;
    return v === 'true' || v === '1';
}
function strList(v, what, file) {
    if (v === undefined || v === null)
        return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
        throw new util_errors/* AtmosError */.f7(`${what} must be a list of strings`, { file: file ?? undefined });
    }
    return v;
}
function loadAtmosConfig(opts) {
    const cwd = external_node_path_default().resolve(opts.cwd);
    const env = opts.env;
    const configFile = findConfigFile(cwd, env);
    const raw = configFile ? readConfigTree(configFile) : DEFAULT_CONFIG;
    const configDir = configFile ? external_node_path_default().dirname(configFile) : cwd;
    const where = configFile;
    const baseFromEnv = env.ATMOS_BASE_PATH;
    const basePath = configFile
        ? resolveBasePath(baseFromEnv ?? load_str(raw.base_path, 'base_path', where) ?? '', baseFromEnv !== undefined, configDir, cwd)
        : external_node_path_default().resolve(cwd, baseFromEnv ?? '.');
    const stacksRaw = mapAt(raw, 'stacks') ?? {};
    const stacksBase = external_node_path_default().resolve(basePath, env.ATMOS_STACKS_BASE_PATH ?? load_str(stacksRaw.base_path, 'stacks.base_path', where) ?? '');
    const listFromEnv = (name) => env[name]?.split(',').map((s) => s.trim()).filter(Boolean);
    const included = listFromEnv('ATMOS_STACKS_INCLUDED_PATHS') ?? strList(stacksRaw.included_paths, 'stacks.included_paths', where);
    const excluded = listFromEnv('ATMOS_STACKS_EXCLUDED_PATHS') ?? strList(stacksRaw.excluded_paths, 'stacks.excluded_paths', where);
    const inherit = mapAt(stacksRaw, 'inherit') ?? {};
    const tfRaw = mapAt(mapAt(raw, 'components'), 'terraform') ?? {};
    const tfBaseRel = env.ATMOS_COMPONENTS_TERRAFORM_BASE_PATH ?? load_str(tfRaw.base_path, 'components.terraform.base_path', where) ?? '';
    const settings = mapAt(raw, 'settings') ?? {};
    const strategy = (load_str(settings.list_merge_strategy, 'settings.list_merge_strategy', where) ?? 'replace');
    if (!['replace', 'append', 'merge'].includes(strategy)) {
        throw new util_errors/* AtmosError */.f7(`settings.list_merge_strategy must be replace, append or merge, not ${JSON.stringify(strategy)}`, {
            file: where ?? undefined,
        });
    }
    const pick = (envName, key, fallback) => envBool(env, envName) ?? bool(tfRaw[key], fallback);
    return {
        configFile,
        configDir,
        basePath,
        stacks: {
            basePath: stacksBase,
            includedPaths: included.map((p) => external_node_path_default().resolve(stacksBase, p)),
            excludedPaths: excluded.map((p) => external_node_path_default().resolve(stacksBase, p)),
            namePattern: env.ATMOS_STACKS_NAME_PATTERN ?? load_str(stacksRaw.name_pattern, 'stacks.name_pattern', where) ?? undefined,
            nameTemplate: env.ATMOS_STACKS_NAME_TEMPLATE ?? load_str(stacksRaw.name_template, 'stacks.name_template', where) ?? undefined,
            nameTemplateFrom: nameTemplateSource(configFile, env),
            inheritMetadata: bool(inherit.metadata, true),
            inheritSource: bool(inherit.source, true),
        },
        terraform: {
            basePath: external_node_path_default().resolve(basePath, tfBaseRel),
            basePathRelative: tfBaseRel,
            command: env.ATMOS_COMPONENTS_TERRAFORM_COMMAND ?? load_str(tfRaw.command, 'components.terraform.command', where) ?? 'terraform',
            autoGenerateBackendFile: pick('ATMOS_COMPONENTS_TERRAFORM_AUTO_GENERATE_BACKEND_FILE', 'auto_generate_backend_file', false),
            initRunReconfigure: pick('ATMOS_COMPONENTS_TERRAFORM_INIT_RUN_RECONFIGURE', 'init_run_reconfigure', false),
            deployRunInit: pick('ATMOS_COMPONENTS_TERRAFORM_DEPLOY_RUN_INIT', 'deploy_run_init', false),
            applyAutoApprove: pick('ATMOS_COMPONENTS_TERRAFORM_APPLY_AUTO_APPROVE', 'apply_auto_approve', false),
            initPassVars: envBool(env, 'ATMOS_COMPONENTS_TERRAFORM_INIT_PASS_VARS') ?? bool(mapAt(tfRaw, 'init')?.pass_vars, false),
            planSkipPlanfile: envBool(env, 'ATMOS_COMPONENTS_TERRAFORM_PLAN_SKIP_PLANFILE') ?? bool(mapAt(tfRaw, 'plan')?.skip_planfile, false),
            workspacesEnabled: bool(tfRaw.workspaces_enabled, true),
            workspacePrefixSeparator: load_str(mapAt(tfRaw, 'workspace')?.prefix_separator, 'workspace.prefix_separator', where) ?? '-',
            sourceTtl: load_str(mapAt(tfRaw, 'source')?.ttl, 'components.terraform.source.ttl', where),
        },
        listMergeStrategy: strategy,
        templatesEnabled: bool(mapAt(mapAt(raw, 'templates'), 'settings')?.enabled, false),
        env: mapAt(raw, 'env') ?? {},
        describeIncludeEmpty: bool(mapAt(mapAt(raw, 'describe'), 'settings')?.include_empty, true),
        raw,
    };
}
/** Where `stacks.name_template` comes from: the env override, or its line in atmos.yaml when it is written there. */
function nameTemplateSource(configFile, env) {
    if (env.ATMOS_STACKS_NAME_TEMPLATE)
        return { env: 'ATMOS_STACKS_NAME_TEMPLATE' };
    if (!configFile)
        return undefined;
    let text = '';
    try {
        text = external_node_fs_default().readFileSync(configFile, 'utf8');
    }
    catch {
        return { file: configFile };
    }
    return { file: configFile, line: lineOf(text, ['stacks', 'name_template']) };
}

;// CONCATENATED MODULE: ./src/app/project.ts
/**
 * What every use case starts from: the ports the entry points build, and atmos.yaml → resolved
 * instances. The CLI and the action both construct an {@link AppPorts} and call `app/` functions.
 */



/** atmos.yaml → resolved instances. */
function loadProject(opts) {
    const config = loadAtmosConfig({ cwd: opts.cwd, env: opts.env });
    const stacks = resolveStacks(config, { log: opts.log ?? silentLog, includeAbstract: opts.includeAbstract });
    return { config, stacks };
}
/** atmos.yaml only: commands that work on the workdir tree need no stack manifests (a broken one never blocks them). */
function loadConfig(settings, ports) {
    return loadAtmosConfig({ cwd: settings.cwd, env: ports.env });
}

;// CONCATENATED MODULE: ./src/app/describe.ts
/** `describe component` and `describe stacks`. */





/** One resolved instance as Atmos prints it, plus its workdir. Refuses an instance using features not evaluated yet. */
function describe_describeComponent(settings, ports) {
    const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log });
    const instance = findInstance(stacks, settings.component, settings.stack);
    assertEvaluable(instance);
    return describeComponent(instance, config);
}
/** Atmos's `describe stacks` shape. */
function describe_describeStacks(settings, ports) {
    const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log });
    for (const w of emptySelectionWarnings(stacks.instances, { stacks: settings.stacks, components: settings.components }))
        ports.log.warn(w);
    return describeStacks(stacks, config, { stacks: settings.stacks, components: settings.components });
}

;// CONCATENATED MODULE: ./src/cli/commands/describe.ts



function print(ctx, value, format) {
    ctx.stdout(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : toYaml(value));
}
const describeComponentCommand = {
    path: ['describe', 'component'],
    summary: 'print one resolved component instance',
    help: `Usage: atmos-action describe component <component> -s <stack> [--format yaml|json]

Prints the instance as Atmos resolves it (vars, settings, env, backend, providers, metadata,
overrides, workspace, inheritance, component_info) plus \`workdir\`, its isolated workdir.
  -s, --stack STACK     canonical stack name (as Atmos names it: name:, name_pattern or name_template)
      --format FORMAT   yaml (default) or json`,
    options: { stack: { type: 'string', short: 's' }, format: { type: 'string' } },
    async run(args, ctx) {
        const [component, ...extra] = args.positionals;
        const stack = stringFlag(args.values.stack);
        if (!component || extra.length > 0)
            throw new UsageError('expected exactly one component name: describe component <component> -s <stack>');
        if (!stack)
            throw new UsageError('missing -s/--stack');
        const format = formatFlag(args.values.format, ['yaml', 'json'], 'yaml');
        print(ctx, describe_describeComponent({ cwd: ctx.cwd, stack, component }, ctx), format);
        return 0;
    },
};
const describeStacksCommand = {
    path: ['describe', 'stacks'],
    summary: "print every stack's resolved components (Atmos's describe stacks shape)",
    help: `Usage: atmos-action describe stacks [-s STACK[,STACK]] [--components C[,C]] [--format yaml|json]

YAML functions and templates are printed as written (not evaluated).
  -s, --stack STACKS        only these stacks (canonical names)
      --components NAMES    only these components
      --format FORMAT       yaml (default) or json`,
    options: {
        stack: { type: 'string', short: 's', multiple: true },
        components: { type: 'string', multiple: true },
        format: { type: 'string' },
    },
    maxPositionals: 0,
    async run(args, ctx) {
        const format = formatFlag(args.values.format, ['yaml', 'json'], 'yaml');
        print(ctx, describe_describeStacks({ cwd: ctx.cwd, stacks: listFlag(args.values.stack), components: listFlag(args.values.components) }, ctx), format);
        return 0;
    },
};

;// CONCATENATED MODULE: ./src/app/list.ts
/** `list stacks` and `list components`: the names a user reaches for first, as Atmos lists them. */




/** Canonical stack names, sorted. */
function listStacks(settings, ports) {
    const { stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log });
    const c = settings.component;
    if (c !== undefined && !stacks.instances.some((i) => i.component === c)) {
        throw new util_errors/* AtmosError */.f7(`component ${c} is not defined in any stack${didYouMean(c, stacks.instances.map((i) => i.component))}`);
    }
    return [...new Set(stacks.instances.filter((i) => c === undefined || i.component === c).map((i) => i.stack))].sort();
}
/** Component names (abstract ones included, as Atmos lists them), sorted. */
function listComponents(settings, ports) {
    const { stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log });
    const s = settings.stack;
    if (s !== undefined)
        assertKnownStack(stacks, s);
    return [...new Set(stacks.instances.filter((i) => s === undefined || i.stack === s).map((i) => i.component))].sort();
}

;// CONCATENATED MODULE: ./src/cli/commands/list.ts
/** `list stacks` and `list components`: one shape, two listings. */


function listCommand(spec) {
    return {
        path: ['list', spec.what],
        summary: spec.summary,
        help: spec.help,
        options: { [spec.filter.name]: { type: 'string', short: spec.filter.short }, format: { type: 'string' } },
        maxPositionals: 0,
        async run(args, ctx) {
            const format = formatFlag(args.values.format, ['text', 'json'], 'text');
            const names = spec.list({ cwd: ctx.cwd, [spec.filter.name]: stringFlag(args.values[spec.filter.name]) }, ctx);
            ctx.stdout(format === 'json' ? `${JSON.stringify(names, null, 2)}\n` : names.map((n) => `${n}\n`).join(''));
            return 0;
        },
    };
}
const listStacksCommand = listCommand({
    what: 'stacks',
    summary: 'list the canonical stack names',
    help: `Usage: atmos-action list stacks [-c COMPONENT] [--format text|json]

Prints each stack by the name Atmos knows it by (name:, name_pattern or name_template), one a line.
  -c, --component NAME   only stacks that define this component
      --format FORMAT    text (default) or json`,
    filter: { name: 'component', short: 'c' },
    list: listStacks,
});
const listComponentsCommand = listCommand({
    what: 'components',
    summary: 'list the component names',
    help: `Usage: atmos-action list components [-s STACK] [--format text|json]

Prints each Atmos component name (abstract ones included), one a line.
  -s, --stack STACK     only the components of this stack
      --format FORMAT   text (default) or json`,
    filter: { name: 'stack', short: 's' },
    list: listComponents,
});

;// CONCATENATED MODULE: ./src/graph/matrix.ts




/** GitHub refuses a matrix with more legs than this. */
const GITHUB_MATRIX_LIMIT = 256;
/** `to` relative to `from`, with forward slashes: paths that go into outputs read the same on every runner. */
function matrix_posixRelative(from, to) {
    return external_node_path_default().relative(from, to).split((external_node_path_default()).sep).join('/') || '.';
}
function buildMatrix(instances, config, cwd) {
    assertDistinctWorkdirs(instances);
    return {
        include: instances.map((i) => ({
            stack: i.stack,
            component: i.component,
            base_component: i.baseComponent,
            component_type: 'terraform',
            component_path: matrix_posixRelative(cwd, i.componentPath),
            workdir: matrix_posixRelative(cwd, paths_buildWorkdirPath(config.basePath, i.stack, i.component)),
            workspace: i.workspace,
            stack_slug: `${i.stack}-${i.component.replace(/\//g, '-')}`,
        })),
    };
}
/**
 * The matrix of the instances a filter selects, with the warnings both entry points owe the user:
 * instances whose plan will fail on an unevaluated feature, and a selection GitHub would refuse.
 */
function selectMatrix(instances, config, cwd, filter, log) {
    const selected = selectInstances(instances, filter);
    for (const w of emptySelectionWarnings(instances, filter))
        log.warn(w);
    for (const w of unsupportedWarnings(selected, cwd))
        log.warn(w);
    if (selected.length > GITHUB_MATRIX_LIMIT) {
        log.warn(`the matrix has ${selected.length} legs; GitHub runs at most ${GITHUB_MATRIX_LIMIT} per matrix: narrow the stacks/components selection`);
    }
    return buildMatrix(selected, config, cwd);
}
/**
 * One warning per place (file:line) that holds a value atmos-action does not evaluate, with how
 * many selected instances inherit it: one catalog line is one warning, not one per stack.
 */
function unsupportedWarnings(selected, cwd) {
    const byPlace = new Map();
    for (const i of selected) {
        for (const u of i.unsupported) {
            const place = u.file ? `${(0,util_errors/* displayPath */.Gt)(u.file, cwd)}${u.line ? `:${u.line}` : ''}` : `${(0,util_errors/* displayPath */.Gt)(i.stackFilePath, cwd)} (${u.path})`;
            const entry = byPlace.get(place) ?? { value: u.value, instances: [] };
            const name = `${i.component} in ${i.stack}`;
            if (!entry.instances.includes(name))
                entry.instances.push(name);
            byPlace.set(place, entry);
        }
    }
    return [...byPlace].map(([place, { value, instances }]) => {
        const who = instances.length === 1 ? instances[0] : `${instances.length} instances (${instances.slice(0, 3).join(', ')}${instances.length > 3 ? ', …' : ''})`;
        return `${place}: ${value} is not evaluated by atmos-action yet; plans of ${who} will fail`;
    });
}

;// CONCATENATED MODULE: ./src/app/matrix.ts
/** `matrix`: the GitHub Actions matrix of the selected instances. */


/** Paths in the result are relative to `settings.cwd`. */
function matrix(settings, ports) {
    const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log, includeAbstract: settings.includeAbstract });
    const filter = { stacks: settings.stacks, components: settings.components, includeAbstract: settings.includeAbstract };
    return selectMatrix(stacks.instances, config, settings.cwd, filter, ports.log);
}

;// CONCATENATED MODULE: ./src/cli/commands/matrix.ts


const matrixCommand = {
    path: ['matrix'],
    summary: 'print the GitHub Actions matrix of deployable instances',
    help: `Usage: atmos-action matrix [--stacks GLOB] [--components GLOB] [--include-abstract yes|no]

Prints {"include":[{stack, component, base_component, component_type, component_path, workdir,
workspace, stack_slug}]} for enabled, non-abstract instances, sorted by stack then component.
Paths are relative to the working directory.
      --stacks GLOBS          only stacks matching these globs (comma-separated or repeated)
      --components GLOBS      only components matching these globs
      --include-abstract X    yes to list abstract instances too (default no)
      --format json           the only format (JSON is what a workflow reads)`,
    options: {
        stacks: { type: 'string', multiple: true },
        components: { type: 'string', multiple: true },
        'include-abstract': { type: 'string' },
        format: { type: 'string' },
    },
    maxPositionals: 0,
    async run(args, ctx) {
        formatFlag(args.values.format, ['json'], 'json');
        const includeAbstract = yesNo(args.values['include-abstract'], 'include-abstract', false);
        const settings = { cwd: ctx.cwd, stacks: listFlag(args.values.stacks), components: listFlag(args.values.components), includeAbstract };
        ctx.stdout(`${JSON.stringify(matrix(settings, ctx))}\n`);
        return 0;
    },
};

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
var external_node_os_default = /*#__PURE__*/__nccwpck_require__.n(external_node_os_namespaceObject);
;// CONCATENATED MODULE: external "node:perf_hooks"
const external_node_perf_hooks_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");
;// CONCATENATED MODULE: ./src/graph/schedule.ts
/**
 * The one bounded scheduler: runs the nodes of a DAG with at most `parallelism` at once. A node
 * starts as soon as its own dependencies have finished (a ready queue, not waves), so a slow node
 * never holds back an unrelated one. A plain bounded pool is the DAG without edges.
 *
 * Failure policy (what the terraform runner needs):
 * - fail-fast: after a failure nothing new starts; running nodes finish; the rest are skipped.
 * - keep-going: dependents of a failed (or skipped) node are skipped, naming the dependency;
 *   independent nodes still run.
 * - an aborted `signal` stops starting new work, like fail-fast; running nodes get the signal.
 */


/**
 * Runs every node and resolves with one result per node, in the order given. Never rejects for a
 * node's failure (it is in the results); refuses up front duplicate keys, unknown dependencies
 * and cycles.
 */
async function schedule(nodes, work, opts) {
    const index = indexNodes(nodes);
    const failFast = opts.failFast ?? true;
    const limit = Math.max(1, Math.floor(opts.parallelism));
    const results = new Array(nodes.length);
    /** Unfinished dependencies per node. */
    const waiting = nodes.map((n) => n.deps?.length ?? 0);
    const dependents = dependentsOf(nodes, index);
    const ready = [];
    for (let i = 0; i < nodes.length; i++)
        if (waiting[i] === 0)
            ready.push(i);
    let head = 0;
    let running = 0;
    let settled = 0;
    let stopReason;
    const started = new Uint8Array(nodes.length);
    return new Promise((resolve) => {
        const finish = () => {
            if (settled === nodes.length)
                resolve(results);
        };
        const settle = (i, r) => {
            results[i] = r;
            settled++;
        };
        /** Skips every not yet settled node that depends on `i`, transitively. */
        const skipDependents = (i, why) => {
            const stack = [...(dependents[i] ?? [])];
            while (stack.length) {
                const d = stack.pop();
                if (results[d])
                    continue;
                settle(d, { key: nodes[d].key, status: 'skipped', reason: why, durationMs: 0 });
                stack.push(...(dependents[d] ?? []));
            }
        };
        const stop = (reason) => {
            if (stopReason !== undefined)
                return;
            stopReason = reason;
            for (let i = 0; i < nodes.length; i++) {
                if (!results[i] && !started[i])
                    settle(i, { key: nodes[i].key, status: 'skipped', reason, durationMs: 0 });
            }
        };
        const pump = () => {
            while (stopReason === undefined && running < limit && head < ready.length) {
                const i = ready[head++];
                if (results[i])
                    continue; // skipped meanwhile
                started[i] = 1;
                running++;
                const t0 = external_node_perf_hooks_namespaceObject.performance.now();
                let p;
                try {
                    p = work(nodes[i].value, nodes[i].key, opts.signal);
                }
                catch (e) {
                    p = Promise.reject(e);
                }
                p.then((value) => done(i, { key: nodes[i].key, status: 'ok', value, durationMs: external_node_perf_hooks_namespaceObject.performance.now() - t0 }), (error) => done(i, { key: nodes[i].key, status: 'failed', error, durationMs: external_node_perf_hooks_namespaceObject.performance.now() - t0 }));
            }
            finish();
        };
        const done = (i, r) => {
            running--;
            settle(i, r);
            if (r.status === 'ok') {
                for (const d of dependents[i] ?? [])
                    if (--waiting[d] === 0 && !results[d])
                        ready.push(d);
            }
            else if (failFast) {
                stop(`not started: ${r.key} failed (fail-fast)`);
            }
            else {
                skipDependents(i, `dependency ${r.key} failed`);
            }
            pump();
        };
        if (opts.signal?.aborted)
            stop('not started: aborted');
        else
            opts.signal?.addEventListener('abort', () => {
                stop('not started: aborted');
                finish();
            }, { once: true });
        pump();
    });
}
/** Key → position; refuses duplicates, unknown dependencies and cycles with a configuration error. */
function indexNodes(nodes) {
    const index = new Map();
    nodes.forEach((n, i) => {
        if (index.has(n.key))
            throw new util_errors/* AtmosError */.f7(`scheduler: duplicate node ${n.key}`);
        index.set(n.key, i);
    });
    for (const n of nodes) {
        for (const d of n.deps ?? [])
            if (!index.has(d))
                throw new util_errors/* AtmosError */.f7(`${n.key} depends on ${d}, which is not selected`);
    }
    const cycle = findCycle(nodes, index);
    if (cycle)
        throw new util_errors/* AtmosError */.f7(`dependency cycle: ${cycle.join(' → ')}`);
    return index;
}
/** For each node, the positions of the nodes that depend on it (undefined when none: the common, edgeless case). */
function dependentsOf(nodes, index) {
    const out = new Array(nodes.length);
    nodes.forEach((n, i) => {
        for (const d of n.deps ?? [])
            (out[index.get(d)] ??= []).push(i);
    });
    return out;
}
/** One cycle as a list of keys (first repeated at the end), or null. Iterative DFS: deep chains cannot overflow the stack. */
function findCycle(nodes, index) {
    const state = new Uint8Array(nodes.length); // 0 new, 1 on the path, 2 done
    for (let root = 0; root < nodes.length; root++) {
        if (state[root])
            continue;
        const path = [root];
        const next = [0];
        state[root] = 1;
        while (path.length) {
            const i = path[path.length - 1];
            const deps = nodes[i].deps ?? [];
            if (next[next.length - 1] < deps.length) {
                const d = index.get(deps[next[next.length - 1]++]);
                if (state[d] === 1)
                    return [...path.slice(path.indexOf(d)), d].map((p) => nodes[p].key);
                if (state[d] === 0) {
                    state[d] = 1;
                    path.push(d);
                    next.push(0);
                }
            }
            else {
                state[i] = 2;
                path.pop();
                next.pop();
            }
        }
    }
    return null;
}

;// CONCATENATED MODULE: ./src/terraform/process.ts

/** The binary could not be started: absent from PATH, or not executable. */
class TerraformNotFoundError extends util_errors/* AtmosError */.f7 {
    command;
    constructor(command, where, cause) {
        const code = cause?.code;
        const what = code === 'EACCES' ? `is not executable` : command.includes('/') ? 'does not exist' : 'was not found on PATH';
        super(`${where}: the terraform command ${JSON.stringify(command)} ${what}. Install terraform (or OpenTofu), or name the binary ` +
            'with `command:` on the component (e.g. `command: tofu` or an absolute path) or `components.terraform.command` in atmos.yaml', { cause });
        this.name = 'TerraformNotFoundError';
        this.command = command;
    }
}
function terraformProcess(exec, log, o) {
    const prefix = o.prefix ?? '';
    return {
        async run(args, opts = {}) {
            log.debug(`${prefix}$ ${o.command} ${args.join(' ')}`);
            let r;
            try {
                r = await exec.run(o.command, args, {
                    cwd: o.cwd,
                    env: o.env,
                    signal: o.signal,
                    forceSignal: o.forceSignal,
                    // stderr is relayed as info while the command runs: whether it failed is only known at exit,
                    // and the failure itself is reported once, in the result.
                    onLine: (stream, line) => {
                        if (stream === 'stdout' && opts.quiet)
                            return;
                        log.info(`${prefix}${line}`);
                    },
                });
            }
            catch (e) {
                const code = e?.code;
                if (code === 'ENOENT' || code === 'EACCES')
                    throw new TerraformNotFoundError(o.command, o.where, e);
                throw e;
            }
            return r;
        },
    };
}
/** The lines terraform prints after `Error:`, condensed into one sentence for a results table. */
function terraformError(r, step) {
    const text = `${r.stderr}\n${r.stdout}`;
    const errors = text
        .split('\n')
        .map((l) => l.replace(/^[│╷╵\s]+/, '').trim())
        .filter((l) => l.startsWith('Error:'))
        .map((l) => l.slice('Error:'.length).trim());
    const detail = errors.length > 0 ? errors.join('; ') : r.signal ? `stopped by ${r.signal}` : `exit code ${r.code}`;
    return `${step} failed: ${detail}`;
}

;// CONCATENATED MODULE: ./src/terraform/binary.ts
/**
 * Is the terraform command there? Checked once before a run starts, by looking it up on PATH the
 * way a shell would, without starting it: a missing binary is one clear error up front instead of
 * one failure per instance.
 */



function executable(file) {
    try {
        if (!external_node_fs_default().statSync(file).isFile())
            return 'ENOENT';
        external_node_fs_default().accessSync(file, (external_node_fs_default()).constants.X_OK);
        return 'ok';
    }
    catch (e) {
        return e.code === 'EACCES' ? 'EACCES' : 'ENOENT';
    }
}
/** The absolute path `command` runs, or a TerraformNotFoundError naming it and how to set another. */
function findTerraform(command, env, cwd, where) {
    const fail = (code) => {
        const cause = Object.assign(new Error(`${command}: ${code}`), { code });
        return new TerraformNotFoundError(command, where, cause);
    };
    if (command.includes('/')) {
        const abs = external_node_path_default().resolve(cwd, command);
        const r = executable(abs);
        if (r !== 'ok')
            throw fail(r);
        return abs;
    }
    let denied = false;
    for (const dir of (env.PATH ?? '').split((external_node_path_default()).delimiter)) {
        if (!dir)
            continue;
        const candidate = external_node_path_default().join(dir, command);
        const r = executable(candidate);
        if (r === 'ok')
            return candidate;
        if (r === 'EACCES')
            denied = true;
    }
    throw fail(denied ? 'EACCES' : 'ENOENT');
}

// EXTERNAL MODULE: ./node_modules/proper-lockfile/index.js
var proper_lockfile = __nccwpck_require__(3648);
var proper_lockfile_default = /*#__PURE__*/__nccwpck_require__.n(proper_lockfile);
;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/util/atomic-fs.ts
/**
 * Atomic file writes: readers (other processes included) see the old content or the new, never a
 * partial file. The temp file sits beside the target so the rename stays on one filesystem.
 */




let tmpCounter = 0;
/** File names longer than this (bytes) get a hashed temp name: the suffix must never push a name past NAME_MAX (255). */
const LONG_NAME_BYTES = 180;
/**
 * A temp name beside `file` (same filesystem, so rename is atomic), unique per process and call.
 * A long name is replaced by a hash of it, so a file whose own name is near the limit can still be
 * replaced atomically (otherwise every later update of it would fail with ENAMETOOLONG).
 */
function tempNameFor(file) {
    const base = external_node_path_default().basename(file);
    const stem = Buffer.byteLength(base) > LONG_NAME_BYTES ? (0,external_node_crypto_namespaceObject.createHash)('sha256').update(base).digest('hex').slice(0, 32) : base;
    return external_node_path_default().join(external_node_path_default().dirname(file), `.${stem}.tmp-${process.pid}-${Date.now().toString(36)}-${tmpCounter++}`);
}
/** Writes `file` so readers see the old content or the new, never a partial file (temp + rename). */
async function atomicWriteFile(file, data, mode) {
    const tmp = tempNameFor(file);
    try {
        await external_node_fs_default().promises.writeFile(tmp, data, mode === undefined ? undefined : { mode });
        await external_node_fs_default().promises.rename(tmp, file);
    }
    catch (e) {
        await external_node_fs_default().promises.rm(tmp, { force: true }).catch(() => { });
        throw new util_errors/* AtmosError */.f7(`cannot write ${file}: ${e.message}`, { file, cause: e, kind: 'instance' });
    }
}

;// CONCATENATED MODULE: ./src/lock/lock.ts
/**
 * Cross-process locks and "work finished" sentinels: the one place that knows how processes
 * coordinate on the filesystem. It knows nothing about workdirs, terraform or providers;
 * callers own the work and choose the lock and sentinel paths.
 *
 * Built on proper-lockfile (an atomic `mkdir` of `<key>.lock`, whose mtime the holder refreshes
 * every stale/2). A holder that dies (SIGKILL, OOM, runner cancelled) stops refreshing, so after
 * the stale window its lock is taken over. Waiting is bounded and always longer than the stale
 * window, so a dead holder can never make a waiter time out, while a live holder that really
 * hangs produces a clear error instead of a job stuck forever.
 */






const DEFAULT_STALE_MS = 30_000;
const DEFAULT_WAIT_MS = 10 * 60_000;
class LockTimeoutError extends util_errors/* AtmosError */.f7 {
    lockPath;
    owner;
    constructor(lockPath, owner, waitedMs) {
        super(`timed out after ${Math.round(waitedMs / 1000)}s waiting for the lock ${lockPath}` +
            (owner ? ` (held by pid ${owner.pid} on ${owner.host} since ${owner.since})` : '') +
            '; if no such process is running, delete the lock directory', { file: lockPath, kind: 'instance' });
        this.lockPath = lockPath;
        this.owner = owner;
        this.name = 'LockTimeoutError';
    }
}
/** The lock directory proper-lockfile creates for a key. */
function lockDirFor(key) {
    return `${external_node_path_default().resolve(key)}.lock`;
}
function ownerFileFor(key) {
    return `${external_node_path_default().resolve(key)}.owner.json`;
}
function readOwner(key) {
    try {
        const o = JSON.parse(external_node_fs_default().readFileSync(ownerFileFor(key), 'utf8'));
        return typeof o.pid === 'number' ? o : null;
    }
    catch {
        return null;
    }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function normalise(opts) {
    const staleMs = Math.max(opts.staleMs ?? DEFAULT_STALE_MS, 2000);
    const waitMs = opts.waitMs ?? Math.max(DEFAULT_WAIT_MS, staleMs * 3);
    if (waitMs !== 0 && waitMs <= staleMs) {
        // A waiter that gives up before a dead holder's lock turns stale would fail jobs for no reason.
        throw new util_errors/* AtmosError */.f7(`lock wait (${waitMs} ms) must be longer than the stale window (${staleMs} ms)`);
    }
    return { staleMs, waitMs };
}
/**
 * Runs `fn` while holding the cross-process lock `key` (any absolute path; `<key>.lock` is the lock
 * directory, `<key>.owner.json` says who holds it). The parent folder is created if needed.
 * Released on every path; if the lock was lost while `fn` ran (event loop blocked longer than the
 * stale window, or someone deleted it), the result is not trusted and an error is thrown.
 *
 * `waitMs: 0` tries once and throws LockTimeoutError immediately when the lock is held.
 */
async function withLock(key, fn, opts = {}) {
    const { staleMs, waitMs } = normalise(opts);
    const abs = external_node_path_default().resolve(key);
    await external_node_fs_default().promises.mkdir(external_node_path_default().dirname(abs), { recursive: true });
    let compromised = null;
    const start = Date.now();
    let delay = 20;
    let announced = false;
    let release = null;
    for (;;) {
        try {
            release = await proper_lockfile_default().lock(abs, {
                realpath: false,
                stale: staleMs,
                lockfilePath: lockDirFor(abs),
                retries: 0,
                // The default throws from a timer and kills the process; record it and fail the work instead.
                onCompromised: (err) => void (compromised = err),
            });
            break;
        }
        catch (e) {
            const code = e.code;
            if (code === 'ENOENT') {
                // The parent folder vanished (e.g. a concurrent clean); recreate and retry.
                await external_node_fs_default().promises.mkdir(external_node_path_default().dirname(abs), { recursive: true });
            }
            else if (code !== 'ELOCKED') {
                throw new util_errors/* AtmosError */.f7(`cannot take the lock ${lockDirFor(abs)}: ${e.message}`, { file: lockDirFor(abs), cause: e });
            }
            const waited = Date.now() - start;
            if (waited >= waitMs)
                throw new LockTimeoutError(lockDirFor(abs), readOwner(abs), waited);
            if (!announced) {
                // The holder writes its owner note right after taking the lock: give it a moment, so the
                // one "waiting for …" line can say who holds it.
                const owner = readOwner(abs);
                if (owner || waited >= 250) {
                    announced = true;
                    opts.onWait?.(owner);
                }
            }
            // Jittered back-off: short at first (a holder usually finishes quickly), capped so a takeover
            // after the stale window is noticed promptly.
            await sleep(Math.min(delay, waitMs - waited) * (0.75 + Math.random() * 0.5));
            delay = Math.min(delay * 2, 500);
        }
    }
    const owner = { pid: process.pid, host: external_node_os_default().hostname(), since: new Date().toISOString() };
    try {
        await atomicWriteFile(ownerFileFor(abs), JSON.stringify(owner));
    }
    catch {
        // Owner info only improves messages; the lock itself is the mkdir.
    }
    let result;
    try {
        result = await fn();
    }
    finally {
        // Remove the owner note first (only if it is still ours), then the lock itself.
        const cur = readOwner(abs);
        if (cur && cur.pid === owner.pid && cur.host === owner.host && cur.since === owner.since) {
            await external_node_fs_default().promises.rm(ownerFileFor(abs), { force: true }).catch(() => { });
        }
        await release().catch(() => {
            // ERELEASED: already released because compromised; reported below.
        });
    }
    if (compromised) {
        throw new util_errors/* AtmosError */.f7(`the lock ${lockDirFor(abs)} was lost while the work ran (${compromised.message}); ` +
            'another process may have taken it over, so the result is not trusted; run again', { file: lockDirFor(abs) });
    }
    return result;
}
/** Whether someone holds `key` right now (a stale lock does not count as held). Takes no lock. */
function lockStatus(key, opts = {}) {
    const staleMs = Math.max(opts.staleMs ?? DEFAULT_STALE_MS, 2000);
    const lockDir = lockDirFor(key);
    let st;
    try {
        st = external_node_fs_default().statSync(lockDir);
    }
    catch {
        return { held: false, stale: false, owner: null, lockDir };
    }
    const stale = st.mtimeMs < Date.now() - staleMs;
    return { held: !stale, stale, owner: readOwner(key), lockDir };
}
/** Whether a process with this pid exists on this machine (EPERM: it exists but belongs to someone else). */
function processAlive(pid) {
    if (!Number.isInteger(pid) || pid <= 0)
        return false;
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (e) {
        return e.code === 'EPERM';
    }
}
// ─── sentinels ────────────────────────────────────────────────────────────────────────────────
/**
 * A sentinel is a small file whose presence means "the work under this lock finished". Callers
 * remove it before they start changing the artifact and write it (atomically) as the very last
 * step, so an artifact left half-done by a killed process has no sentinel and is redone, never
 * trusted.
 */
function sentinelExists(sentinelPath) {
    return external_node_fs_default().existsSync(sentinelPath);
}
async function clearSentinel(sentinelPath) {
    await external_node_fs_default().promises.rm(sentinelPath, { force: true });
}
async function writeSentinel(sentinelPath, info = {}) {
    await external_node_fs_default().promises.mkdir(external_node_path_default().dirname(sentinelPath), { recursive: true });
    await atomicWriteFile(sentinelPath, JSON.stringify({ completed_at: new Date().toISOString(), pid: process.pid, ...info }));
}
/**
 * Do `work` at most once: the cheap path (sentinel present and `verify()` true) takes no lock;
 * otherwise take the lock, re-check (someone may have finished while we waited), clear the
 * sentinel, work, write the sentinel. If `work` throws, the sentinel stays absent.
 */
async function ensureDone(args) {
    const verified = async () => sentinelExists(args.sentinelPath) && (args.verify ? await args.verify() : true);
    if (await verified())
        return { didWork: false };
    return withLock(args.lockKey, async () => {
        if (await verified())
            return { didWork: false };
        await clearSentinel(args.sentinelPath);
        const result = await args.work();
        await writeSentinel(args.sentinelPath);
        return { didWork: true, result };
    }, args.lock);
}

;// CONCATENATED MODULE: ./src/workdir/guard.ts
/**
 * The one check every path into the workdir tree goes through before anything is read, written
 * or deleted there. `.workdir/` sits in the checkout, so a pull request can commit a symbolic link
 * (`.workdir/terraform/dev-vpc -> /home/runner`) or a file where a folder should be; followed
 * blindly, a provision would delete and overwrite the link's target and a clean would remove it.
 *
 * Every part from the base path down is looked at with lstat: a link is refused, a file where a
 * folder belongs is refused (naming the path, never a raw ENOTDIR), and the real path of what
 * exists must stay inside `<base>/.workdir`. The base path itself may be a link (a checkout under
 * a linked home folder is normal); only what lies below it is ours.
 */




function shown(basePath, abs) {
    return external_node_path_default().relative(basePath, abs).split((external_node_path_default()).sep).join('/') || '.';
}
/** Refuses a link or a non-folder anywhere from `<base>/.workdir` down to `target` (inclusive). What does not exist yet is fine. */
function guardStatePath(basePath, target, what = 'workdir path') {
    const base = external_node_path_default().resolve(basePath);
    const abs = external_node_path_default().resolve(target);
    const rel = external_node_path_default().relative(base, abs);
    const top = stateRoot(base);
    if (rel === '' || rel.startsWith('..') || external_node_path_default().isAbsolute(rel) || !(abs === top || abs.startsWith(top + (external_node_path_default()).sep))) {
        throw new util_errors/* AtmosError */.f7(`${what} ${abs} is not inside ${top}`, { file: abs, kind: 'instance' });
    }
    let cur = base;
    for (const seg of rel.split((external_node_path_default()).sep)) {
        cur = external_node_path_default().join(cur, seg);
        let st;
        try {
            st = external_node_fs_default().lstatSync(cur);
        }
        catch (e) {
            if (e.code === 'ENOENT')
                return; // the rest is created by us, as real folders
            throw new util_errors/* AtmosError */.f7(`cannot inspect ${shown(base, cur)}: ${e.message}`, { file: cur, cause: e, kind: 'instance' });
        }
        if (st.isSymbolicLink()) {
            let to = '';
            try {
                to = ` (to ${external_node_fs_default().readlinkSync(cur)})`;
            }
            catch {
                /* vanished */
            }
            throw new util_errors/* AtmosError */.f7(`${shown(base, cur)} is a symbolic link${to}; refusing to follow it for the ${what} ${shown(base, abs)}: ` +
                'nothing under .workdir may be a link (remove it; the folder is recreated)', { file: cur, kind: 'instance' });
        }
        if (!st.isDirectory()) {
            throw new util_errors/* AtmosError */.f7(`${shown(base, cur)} is a file, not a folder, so the ${what} ${shown(base, abs)} cannot live there; remove it`, {
                file: cur,
                kind: 'instance',
            });
        }
    }
    // No part is a link, so the real path can only leave through a bind mount or a race; check anyway.
    const realTop = external_node_fs_default().realpathSync(top);
    const real = external_node_fs_default().realpathSync(abs);
    if (real !== realTop && !real.startsWith(realTop + (external_node_path_default()).sep)) {
        throw new util_errors/* AtmosError */.f7(`the ${what} ${shown(base, abs)} resolves to ${real}, outside ${realTop}; refusing it`, { file: abs, kind: 'instance' });
    }
}
/** Guards `dir` (see guardStatePath), creates it as real folders, and guards again (a link may have appeared meanwhile). */
async function ensureStateDir(basePath, dir, what) {
    guardStatePath(basePath, dir, what);
    await external_node_fs_default().promises.mkdir(dir, { recursive: true });
    guardStatePath(basePath, dir, what);
}
/**
 * `.atmos/` inside a workdir and the files in it belong to us: a link or a file named `.atmos`
 * (committed, or damage), or a folder or link where one of our files belongs, is removed so our
 * reads and writes land in real files inside the workdir. Says so through `warn`.
 */
async function repairAtmosDir(workdir, warn) {
    const kind = (st) => (st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a folder' : 'a file');
    const dir = atmosDir(workdir);
    const st = external_node_fs_default().lstatSync(dir, { throwIfNoEntry: false });
    if (!st)
        return;
    if (!st.isDirectory()) {
        warn(`${dir} was ${kind(st)}, not a folder; replaced it with an empty folder`);
        await external_node_fs_default().promises.rm(dir, { force: true });
        return;
    }
    for (const file of [metadataPath(workdir), manifestPath(workdir), sentinelPath(workdir), inProgressPath(workdir)]) {
        const f = external_node_fs_default().lstatSync(file, { throwIfNoEntry: false });
        if (!f || f.isFile())
            continue;
        warn(`${file} was ${kind(f)}, not a file; removed it`);
        await external_node_fs_default().promises.rm(file, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/workdir/metadata.ts
/**
 * `<workdir>/.atmos/`: metadata.json (Atmos's field names, docs/atmos-compatibility.md §6.4), the sync manifest and
 * the "provision complete" sentinel.
 */



/** Reads `.atmos/metadata.json`, falling back to the legacy file. Never throws: callers decide. */
function readMetadata(workdir) {
    for (const file of [metadataPath(workdir), legacyMetadataPath(workdir)]) {
        let text;
        try {
            text = external_node_fs_default().readFileSync(file, 'utf8');
        }
        catch (e) {
            if (e.code === 'ENOENT')
                continue;
            return { ok: false, reason: 'invalid', file, error: e.message };
        }
        try {
            const m = JSON.parse(text);
            if (!m || typeof m !== 'object' || typeof m.component !== 'string')
                throw new Error('not a workdir metadata object');
            return { ok: true, metadata: m, file };
        }
        catch (e) {
            return { ok: false, reason: 'invalid', file, error: e.message };
        }
    }
    return { ok: false, reason: 'missing' };
}
/** Field order as Atmos writes it; omitempty fields left out when empty. 2-space indent, no trailing newline (Go MarshalIndent). */
function serializeMetadata(m) {
    const out = {};
    const put = (k, omitEmpty) => {
        const v = m[k];
        if (omitEmpty && (v === undefined || v === ''))
            return;
        out[k] = v ?? '';
    };
    put('component', false);
    put('stack', true);
    put('source_type', false);
    put('source', true);
    put('source_uri', true);
    put('source_version', true);
    put('source_resolved', true);
    put('source_identity', true);
    put('created_at', false);
    put('updated_at', false);
    put('last_accessed', false);
    put('content_hash', true);
    if (m.lock_file_seed)
        out.lock_file_seed = m.lock_file_seed;
    return JSON.stringify(out, null, 2);
}
async function writeMetadata(workdir, m) {
    await external_node_fs_default().promises.mkdir(atmosDir(workdir), { recursive: true });
    await atomicWriteFile(metadataPath(workdir), serializeMetadata(m));
}
/** Time as Atmos writes it (RFC 3339; milliseconds are what JavaScript has). */
function timestamp(d) {
    return d.toISOString();
}
const entrySha = (e) => e[5];
const entryMode = (e) => e[4];
function manifestEntry(src, mode, sha256, copy) {
    return [src.size, src.mtimeMs, src.ctimeMs, src.ino, mode, sha256, copy.size, copy.mtimeMs, copy.ctimeMs, copy.ino];
}
/** The source file still looks as it did when it was hashed. */
function sameSource(e, st) {
    return e[0] === st.size && e[1] === st.mtimeMs && e[2] === st.ctimeMs && e[3] === st.ino;
}
/** The workdir copy still looks as it did right after we wrote or verified it. */
function sameCopy(e, st) {
    return e[6] === st.size && e[7] === st.mtimeMs && e[8] === st.ctimeMs && e[9] === st.ino;
}
function readManifest(workdir) {
    try {
        const m = JSON.parse(external_node_fs_default().readFileSync(manifestPath(workdir), 'utf8'));
        return m && m.version === 2 && m.files && typeof m.files === 'object' ? m : null;
    }
    catch {
        return null;
    }
}
async function writeManifest(workdir, m) {
    await external_node_fs_default().promises.mkdir(atmosDir(workdir), { recursive: true });
    await atomicWriteFile(manifestPath(workdir), JSON.stringify(m));
}

;// CONCATENATED MODULE: ./src/workdir/list.ts
/** `workdir list` / `workdir show`: what is on disk under `<base>/.workdir/terraform`, read without taking locks. */






/** Local state files/folders in a workdir (what clean refuses to delete without --force). */
function localState(workdir) {
    const found = [];
    for (const name of ['terraform.tfstate', 'terraform.tfstate.d']) {
        // lstat: a link by that name counts too (and is never followed).
        if (external_node_fs_default().lstatSync(external_node_path_default().join(workdir, name), { throwIfNoEntry: false }))
            found.push(name);
    }
    return found;
}
function isWorkdirFolder(abs) {
    return external_node_fs_default().existsSync(atmosDir(abs)) || external_node_fs_default().existsSync(legacyMetadataPath(abs));
}
/**
 * Every workdir under the root. Unlike Atmos (direct children only) this descends into folders
 * without metadata, because a `/` in a stack name makes a real sub-folder (`org/dev-vpc`).
 */
function findWorkdirFolders(basePath) {
    return scanWorkdirTree(basePath).workdirs;
}
/**
 * Workdirs under the root, and the symbolic links found where a workdir or a stack sub-folder
 * could be (never followed: they are reported, see guard.ts). Refuses a root reached through a link.
 */
function scanWorkdirTree(basePath) {
    const root = workdirRoot(basePath);
    guardStatePath(basePath, root, 'workdir root');
    const out = [];
    const links = [];
    const visit = (abs, rel, depth) => {
        let entries;
        try {
            entries = external_node_fs_default().readdirSync(abs, { withFileTypes: true });
        }
        catch {
            return;
        }
        for (const d of entries) {
            const childRel = rel ? `${rel}/${d.name}` : d.name;
            if (d.isSymbolicLink() && !d.name.startsWith('.'))
                links.push(childRel);
            if (!d.isDirectory() || d.name.startsWith('.'))
                continue;
            const childAbs = external_node_path_default().join(abs, d.name);
            if (isWorkdirFolder(childAbs))
                out.push(childRel);
            else if (depth < 16)
                visit(childAbs, childRel, depth + 1);
        }
    };
    visit(root, '', 0);
    return { workdirs: out.sort(), links: links.sort() };
}
function describeWorkdirFolder(basePath, name, staleMs) {
    const abs = workdirPathFromName(basePath, name);
    const read = readMetadata(abs);
    const m = read.ok ? read.metadata : {};
    const stack = m.stack ?? '';
    const component = m.component ?? '';
    // The lock key follows from the folder name, so a workdir without (or with forged) metadata is judged by its real lock.
    const st = lockStatus(workdirLockKeyFromName(basePath, name), { staleMs });
    const locked = st.held;
    const owner = st.owner ?? undefined;
    let mtime = '';
    try {
        mtime = external_node_fs_default().statSync(abs).mtime.toISOString();
    }
    catch {
        /* vanished meanwhile */
    }
    const info = {
        name,
        component,
        stack,
        source: m.source ?? '',
        source_type: m.source_type ?? '',
        source_uri: m.source_uri || undefined,
        source_version: m.source_version || undefined,
        source_identity: m.source_identity || undefined,
        path: external_node_path_default().posix.join(WORKDIR_ROOT_POSIX, name),
        absPath: abs,
        content_hash: m.content_hash || undefined,
        created_at: m.created_at ?? mtime,
        updated_at: m.updated_at ?? mtime,
        last_accessed: m.last_accessed ?? mtime,
        complete: external_node_fs_default().existsSync(sentinelPath(abs)),
        local_state: localState(abs),
        locked,
        lock_owner: owner,
    };
    if (!read.ok)
        info.metadata_error = read.reason === 'missing' ? 'metadata missing' : `${read.file}: ${read.error}`;
    return info;
}
function listWorkdirs(basePath, opts = {}) {
    return findWorkdirFolders(basePath).map((name) => describeWorkdirFolder(basePath, name, opts.staleMs));
}
/** The workdir of one instance, or null when it has not been provisioned. */
function showWorkdir(basePath, stack, component, opts = {}) {
    const abs = paths_buildWorkdirPath(basePath, stack, component);
    guardStatePath(basePath, abs, 'workdir');
    if (!external_node_fs_default().existsSync(abs))
        return null;
    const name = external_node_path_default().relative(workdirRoot(basePath), abs).split((external_node_path_default()).sep).join('/');
    return describeWorkdirFolder(basePath, name, opts.staleMs);
}

;// CONCATENATED MODULE: ./src/terraform/commands.ts
const colorArgs = (s) => (s.color ? [] : ['-no-color']);
function initArgs(o) {
    return ['init', ...(o.reconfigure ? ['-reconfigure'] : []), '-input=false', ...colorArgs(o), ...(o.varfile ? ['-var-file', o.varfile] : [])];
}
/** `workspace select -or-create` (terraform ≥ 1.4, every OpenTofu): one process instead of select-then-new. */
function workspaceSelectArgs(workspace, s = {}) {
    return ['workspace', 'select', '-or-create', ...colorArgs(s), workspace];
}
/** Fallback for binaries without `-or-create`, as Atmos does when select fails. */
function workspaceNewArgs(workspace, s = {}) {
    return ['workspace', 'new', ...colorArgs(s), workspace];
}
/** `-detailed-exitcode`: 0 no changes, 1 error, 2 changes. */
function planArgs(o) {
    return [
        'plan',
        ...(o.destroy ? ['-destroy'] : []),
        '-out',
        o.planfile,
        '-detailed-exitcode',
        '-input=false',
        ...colorArgs(o),
        '-var-file',
        o.varfile,
    ];
}
function showJsonArgs(planfile) {
    return ['show', '-json', planfile];
}
/** A saved plan is applied as is: no approval prompt, no varfile (the plan carries its variables). */
function applyArgs(planfile, s = {}) {
    return ['apply', '-input=false', ...colorArgs(s), planfile];
}
/**
 * Whether the runner selects a workspace for this backend. Every state backend with workspaces
 * (local, s3, gcs, azurerm, remote, consul, pg, kubernetes, cos, oss, …) gets one; `http` has only
 * `default` (Atmos skips it too); a `cloud` block naming one fixed workspace (`workspaces.name`)
 * selects it itself. A user's `TF_WORKSPACE` already selects, and terraform refuses `workspace
 * select` while it is set.
 */
function workspaceStep(backendType, backend, env) {
    if (backendType === 'http')
        return { select: false, why: 'the http backend has no workspaces' };
    if (backendType === 'cloud') {
        const ws = backend.workspaces;
        if (typeof ws === 'object' && ws !== null && typeof ws.name === 'string') {
            return { select: false, why: 'the cloud block names its workspace' };
        }
    }
    if (env.TF_WORKSPACE)
        return { select: false, why: `TF_WORKSPACE=${env.TF_WORKSPACE} is set in the environment` };
    return { select: true };
}
/** Variables the runner always sets: terraform knows it runs unattended and never prompts. */
const AUTOMATION_ENV = { TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
function envValue(v) {
    return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}
/**
 * The environment terraform runs in: the user's, then the component's `env` section, then
 * TF_IN_AUTOMATION and TF_INPUT. Under parallel runs a TF_PLUGIN_CACHE_DIR is dropped: terraform's
 * plugin cache unzips in place and is not safe for concurrent writers (corrupt packages, poisoned
 * lock files), so each instance then installs into its own `.terraform/`. Atmos drops it the same
 * way for concurrent runs.
 */
function terraformEnv(input) {
    const env = {};
    for (const [k, v] of Object.entries(input.userEnv))
        if (v !== undefined)
            env[k] = v;
    for (const [k, v] of Object.entries(input.componentEnv))
        if (v !== undefined && v !== null)
            env[k] = envValue(v);
    Object.assign(env, AUTOMATION_ENV);
    const notes = [];
    // Terraform appends these to the commands the runner builds; worth a line when a plan behaves oddly.
    for (const k of Object.keys(env).filter((k) => /^TF_CLI_ARGS(_|$)/.test(k)).sort()) {
        notes.push(`${k} is set: terraform adds "${env[k]}" to the commands atmos-action runs`);
    }
    if (input.parallel && env.TF_PLUGIN_CACHE_DIR !== undefined) {
        notes.push(`TF_PLUGIN_CACHE_DIR=${env.TF_PLUGIN_CACHE_DIR} is not passed to parallel terraform runs: terraform's plugin cache is not safe ` +
            'for concurrent inits, so each instance installs its providers into its own .terraform/ instead');
        delete env.TF_PLUGIN_CACHE_DIR;
        delete env.TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE;
    }
    return { env, notes };
}
/**
 * A CLI config (`.terraformrc`, `TF_CLI_CONFIG_FILE`) that sets `plugin_cache_dir` cannot be undone
 * through the environment (an empty TF_PLUGIN_CACHE_DIR does not override it), so callers that run
 * inits in parallel must serialise them instead. Matches the top-level attribute only.
 */
function cliConfigSetsPluginCache(cliConfigText) {
    return /^\s*plugin_cache_dir\s*=/m.test(cliConfigText.replace(/^\s*(#|\/\/).*$/gm, ''));
}

;// CONCATENATED MODULE: ./src/terraform/generate.ts
/**
 * The files Atmos generates next to a root module before terraform runs: the varfile,
 * `backend.tf.json` and `providers_override.tf.json`, with Atmos's names and JSON shapes. Building
 * them is pure; `writeGeneratedFiles` puts them into a workdir (never into the shared source folder).
 */





const BACKEND_FILE = 'backend.tf.json';
const PROVIDERS_OVERRIDE_FILE = 'providers_override.tf.json';
function isMap(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function generate_sortKeys(v) {
    if (Array.isArray(v))
        return v.map(generate_sortKeys);
    if (!isMap(v))
        return v;
    const out = {};
    for (const k of Object.keys(v).sort())
        out[k] = generate_sortKeys(v[k]);
    return out;
}
/**
 * Atmos's JSON (Go `json.MarshalIndent` over sorted maps): keys sorted, two-space indent, `<`, `>`
 * and `&` escaped, a trailing newline. Matching it byte for byte keeps files identical whichever
 * tool wrote them, so switching between Atmos and atmos-action never shows a spurious diff.
 */
function atmosJson(value) {
    const text = JSON.stringify(generate_sortKeys(value), null, 2) ?? 'null';
    return `${text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
/** `{"terraform":{"backend":{"<type>":{…}}}}`; `cloud` is a top-level block with `{terraform_workspace}` filled in. */
function backendConfig(instance) {
    const type = instance.backendType;
    if (!type) {
        throw new util_errors/* AtmosError */.f7(`component ${instance.component} in stack ${instance.stack}: auto_generate_backend_file is on but backend_type is empty; ` +
            'set backend_type (e.g. under terraform: in the stack) or turn auto_generate_backend_file off');
    }
    if (type === 'cloud') {
        const filled = JSON.parse(JSON.stringify(instance.backend).replace(/\{terraform_workspace\}/g, escapeForJsonString(instance.workspace)));
        return { terraform: { cloud: filled } };
    }
    return { terraform: { backend: { [type]: instance.backend } } };
}
function escapeForJsonString(s) {
    return JSON.stringify(s).slice(1, -1);
}
/**
 * `{"provider": …}` where dotted keys become aliases: `{"aws":{…},"aws.use1":{…}}` →
 * `{"provider":{"aws":[{…base…},{"alias":"use1",…}]}}`, base first, then aliases sorted by key.
 */
function providersOverride(providers) {
    const byName = new Map();
    for (const key of Object.keys(providers)) {
        const dot = key.indexOf('.');
        const name = dot < 0 ? key : key.slice(0, dot);
        const entry = byName.get(name) ?? { aliases: [] };
        byName.set(name, entry);
        if (dot < 0)
            entry.base = providers[key];
        else
            entry.aliases.push([key, isMap(providers[key]) ? providers[key] : {}]);
    }
    const out = {};
    for (const [name, { base, aliases }] of byName) {
        if (aliases.length === 0) {
            out[name] = base;
            continue;
        }
        const list = base === undefined ? [] : [base];
        for (const [key, body] of aliases.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
            list.push({ alias: key.slice(key.indexOf('.') + 1), ...body });
        }
        out[name] = list;
    }
    return { provider: out };
}
/** Every file Atmos would generate for this instance, in the order it writes them. */
function generatedFiles(instance, opts) {
    const files = [{ name: instance.varfileName, content: atmosJson(instance.vars), mode: 0o644, kind: 'varfile' }];
    if (opts.autoGenerateBackendFile) {
        files.push({ name: BACKEND_FILE, content: atmosJson(backendConfig(instance)), mode: 0o600, kind: 'backend' });
    }
    if (Object.keys(instance.providers).length > 0) {
        files.push({ name: PROVIDERS_OVERRIDE_FILE, content: atmosJson(providersOverride(instance.providers)), mode: 0o600, kind: 'providers' });
    }
    return files;
}
/**
 * Writes the files into `workdir` atomically (temp + rename), so a concurrent reader sees the old
 * file or the new one, never half. Names go through the path sanitiser: a stack name with `..`
 * cannot place a varfile outside the workdir.
 */
async function writeGeneratedFiles(workdir, files) {
    const written = [];
    for (const f of files) {
        const abs = safe_path_safeJoin(workdir, f.name, 'generated file name');
        let before;
        try {
            before = await external_node_fs_default().promises.readFile(abs, 'utf8');
        }
        catch {
            before = undefined;
        }
        await external_node_fs_default().promises.mkdir(external_node_path_default().dirname(abs), { recursive: true });
        await atomicWriteFile(abs, f.content, f.mode);
        // writeFile's mode is filtered by the umask; Atmos's modes are part of the contract (0600 keeps backend secrets private).
        await external_node_fs_default().promises.chmod(abs, f.mode);
        written.push({ name: f.name, path: abs, kind: f.kind, changed: before !== f.content });
    }
    return written;
}

;// CONCATENATED MODULE: ./src/workdir/hash.ts
/** Hashes used by the workdir: SHA-256 per file, FNV-128a for Atmos's `content_hash`. */


/** SHA-256 hex of a file, streamed (component trees may hold large files). */
async function hash_sha256File(file) {
    const st = await external_node_fs_default().promises.stat(file);
    // Small files: one read is much cheaper than a stream.
    if (st.size <= 1 << 20)
        return (0,external_node_crypto_namespaceObject.createHash)('sha256').update(await external_node_fs_default().promises.readFile(file)).digest('hex');
    const h = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    for await (const chunk of external_node_fs_default().createReadStream(file))
        h.update(chunk);
    return h.digest('hex');
}
function sha256Text(data) {
    return (0,external_node_crypto_namespaceObject.createHash)('sha256').update(data).digest('hex');
}
/**
 * FNV-1a 128-bit, as Go's hash/fnv New128a, on eight 16-bit limbs (little-endian) so it runs on
 * plain numbers (BigInt per byte would be ~50x slower). prime = 2^88 + 0x13B.
 */
class Fnv128a {
    // offset basis 0x6c62272e07bb014262b821756295c58d, limb 0 = least significant 16 bits
    h0 = 0xc58d;
    h1 = 0x6295;
    h2 = 0x2175;
    h3 = 0x62b8;
    h4 = 0x0142;
    h5 = 0x07bb;
    h6 = 0x272e;
    h7 = 0x6c62;
    update(data) {
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        let { h0, h1, h2, h3, h4, h5, h6, h7 } = this;
        for (let k = 0; k < bytes.length; k++) {
            h0 ^= bytes[k];
            // h * prime mod 2^128, prime = 2^88 + 0x13B: h*0x13B plus (h << 88), i.e. limbs shifted by 5 and by 8 bits.
            // Every intermediate stays below 2^31, so plain double arithmetic is exact.
            let t = h0 * 0x13b;
            const r0 = t & 0xffff;
            t = h1 * 0x13b + (t >>> 16);
            const r1 = t & 0xffff;
            t = h2 * 0x13b + (t >>> 16);
            const r2 = t & 0xffff;
            t = h3 * 0x13b + (t >>> 16);
            const r3 = t & 0xffff;
            t = h4 * 0x13b + (t >>> 16);
            const r4 = t & 0xffff;
            t = h5 * 0x13b + (t >>> 16) + h0 * 0x100;
            const r5 = t & 0xffff;
            t = h6 * 0x13b + (t >>> 16) + h1 * 0x100;
            const r6 = t & 0xffff;
            t = h7 * 0x13b + (t >>> 16) + h2 * 0x100;
            const r7 = t & 0xffff;
            h0 = r0;
            h1 = r1;
            h2 = r2;
            h3 = r3;
            h4 = r4;
            h5 = r5;
            h6 = r6;
            h7 = r7;
        }
        Object.assign(this, { h0, h1, h2, h3, h4, h5, h6, h7 });
        return this;
    }
    hex() {
        return [this.h7, this.h6, this.h5, this.h4, this.h3, this.h2, this.h1, this.h0].map((x) => x.toString(16).padStart(4, '0')).join('');
    }
}
/**
 * Atmos's `content_hash`: FNV-128a over the files sorted by relative path (forward slashes),
 * writing each path followed by its SHA-256 hex (pkg/provisioner/workdir/fs.go HashDir).
 */
function contentHash(files) {
    const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
    const h = new Fnv128a();
    for (const [rel, sha] of sorted)
        h.update(rel).update(sha);
    return h.hex();
}

;// CONCATENATED MODULE: ./src/terraform/init-record.ts
/**
 * Whether `init` needs `-reconfigure` because the generated backend changed since the last
 * successful init in this workdir. Without it, terraform stops with "Backend configuration
 * changed" (and `-input=false` leaves it nothing to ask). The record lives in the workdir's
 * `.atmos/` folder, which the workdir sync never touches.
 */





const RECORD_FILE = 'terraform-init.json';
function recordPath(workdir) {
    return external_node_path_default().join(atmosDir(workdir), RECORD_FILE);
}
function backendHash(backendFile) {
    if (!backendFile)
        return null;
    try {
        return sha256Text(external_node_fs_default().readFileSync(backendFile));
    }
    catch {
        return null;
    }
}
/** True when this workdir has never been initialised by us, or its generated backend differs from the last init's. */
function initNeedsReconfigure(workdir, backendFile) {
    try {
        const rec = JSON.parse(external_node_fs_default().readFileSync(recordPath(workdir), 'utf8'));
        return rec.backend_sha256 !== backendHash(backendFile);
    }
    catch {
        return true;
    }
}
/** Called after a successful init. */
async function recordInit(workdir, backendFile) {
    await external_node_fs_default().promises.mkdir(atmosDir(workdir), { recursive: true });
    await atomicWriteFile(recordPath(workdir), `${JSON.stringify({ backend_sha256: backendHash(backendFile) })}\n`);
}

;// CONCATENATED MODULE: ./src/terraform/plan-result.ts
/**
 * `terraform show -json <planfile>` → what a plan would do, by address. The result holds addresses,
 * actions and counts only, never an attribute or output value: the JSON plan carries sensitive
 * values in clear text, and nothing read from it may reach a log, a PR comment or a stored result.
 */

const isStr = (v) => typeof v === 'string';
/** Terraform's action list for one resource → one action (replace = delete+create in either order; no-op and read are not changes). */
function resourceAction(actions) {
    const key = [...actions].sort().join(',');
    switch (key) {
        case 'create':
            return 'create';
        case 'update':
            return 'update';
        case 'delete':
            return 'delete';
        case 'create,delete':
            return 'replace';
        case 'forget':
            return 'forget';
        case 'create,forget': // a replace whose old object is forgotten rather than destroyed
            return 'replace';
        case 'read':
            return 'read';
        case 'no-op':
        case '':
            return 'no-op';
        default:
            throw new util_errors/* AtmosError */.f7(`terraform plan JSON has an unknown action list [${actions.join(', ')}]`);
    }
}
function outputAction(actions) {
    const key = [...actions].sort().join(',');
    if (key === 'create' || key === 'update' || key === 'delete')
        return key;
    if (key === 'create,delete')
        return 'update';
    return undefined;
}
/** Parses the JSON text terraform prints for `show -json <planfile>`. */
function parsePlanJson(text) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch (e) {
        // Never echo the text: it is the plan, values included.
        throw new util_errors/* AtmosError */.f7(`terraform show -json printed something that is not JSON (${e.message})`);
    }
    if (typeof doc !== 'object' || doc === null || !('format_version' in doc)) {
        throw new util_errors/* AtmosError */.f7('terraform show -json did not print a plan (no format_version)');
    }
    const r = {
        add: [],
        change: [],
        destroy: [],
        replace: [],
        forget: [],
        import: [],
        moved: [],
        outputs: [],
        counts: { add: 0, change: 0, destroy: 0, replace: 0, forget: 0, import: 0, moved: 0, outputs: 0 },
        hasChanges: false,
        applyable: doc.applyable !== false && doc.errored !== true,
        terraformVersion: isStr(doc.terraform_version) ? doc.terraform_version : undefined,
    };
    const lists = {
        create: r.add,
        update: r.change,
        delete: r.destroy,
        replace: r.replace,
        forget: r.forget,
    };
    for (const rc of (Array.isArray(doc.resource_changes) ? doc.resource_changes : [])) {
        if (!isStr(rc.address))
            continue;
        const actions = Array.isArray(rc.change?.actions) ? rc.change.actions.filter(isStr) : [];
        const action = resourceAction(actions);
        if (action !== 'no-op' && action !== 'read')
            lists[action].push(rc.address);
        if (rc.change?.importing !== undefined && rc.change.importing !== null)
            r.import.push(rc.address);
        if (isStr(rc.previous_address) && rc.previous_address !== rc.address)
            r.moved.push({ from: rc.previous_address, to: rc.address });
    }
    const outputs = doc.output_changes;
    if (typeof outputs === 'object' && outputs !== null) {
        for (const [name, oc] of Object.entries(outputs)) {
            const actions = Array.isArray(oc?.actions) ? oc.actions.filter(isStr) : [];
            const action = outputAction(actions);
            if (action)
                r.outputs.push({ name, action, sensitive: oc.before_sensitive === true || oc.after_sensitive === true });
        }
    }
    for (const list of [r.add, r.change, r.destroy, r.replace, r.forget, r.import])
        list.sort();
    r.moved.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
    r.outputs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    r.counts = {
        add: r.add.length,
        change: r.change.length,
        destroy: r.destroy.length,
        replace: r.replace.length,
        forget: r.forget.length,
        import: r.import.length,
        moved: r.moved.length,
        outputs: r.outputs.length,
    };
    r.hasChanges = Object.values(r.counts).some((n) => n > 0);
    return r;
}
/** `+2 ~1 -0 ±1` style one-liner for tables and logs (addresses only, never values). */
function summarizePlan(p) {
    const parts = [`+${p.counts.add}`, `~${p.counts.change}`, `-${p.counts.destroy}`];
    if (p.counts.replace)
        parts.push(`±${p.counts.replace}`);
    if (p.counts.import)
        parts.push(`import ${p.counts.import}`);
    if (p.counts.forget)
        parts.push(`forget ${p.counts.forget}`);
    if (p.counts.moved)
        parts.push(`moved ${p.counts.moved}`);
    if (p.counts.outputs)
        parts.push(`outputs ${p.counts.outputs}`);
    return parts.join(' ');
}

;// CONCATENATED MODULE: ./src/terraform/run-instance.ts
/**
 * One instance, start to finish, inside its already provisioned workdir: guards, generated files,
 * init, workspace, plan, show, and apply or destroy. Returns a structured result instead of
 * throwing for anything terraform reports, so a caller running many instances can carry on.
 */










function instanceKey(i) {
    return `${i.stack}:${i.component}`;
}
/** Why this instance must not run this action, or null. Checked before anything is written. */
function refusal(req) {
    const i = req.instance;
    // Atmos checks enabled before anything else: a disabled instance is a quiet skip, even an abstract one.
    if (!i.enabled)
        return { status: 'skipped', reason: 'disabled (metadata.enabled: false)' };
    if (i.abstract)
        return { status: 'failed', reason: 'abstract component (metadata.type: abstract): never deployed' };
    if (i.locked && req.action !== 'plan') {
        return { status: 'failed', reason: `locked (metadata.locked: true): ${req.action} is refused; plan is allowed` };
    }
    if (i.unsupported.length > 0) {
        const list = i.unsupported.map((u) => `${u.path} = ${u.value}${u.file ? ` (${u.file}${u.line ? `:${u.line}` : ''})` : ''}`).join(', ');
        return { status: 'failed', reason: `uses what atmos-action does not evaluate yet (${list}); running it would pass the raw text to terraform` };
    }
    if (external_node_path_default().resolve(req.workdir) === external_node_path_default().resolve(i.componentPath)) {
        return { status: 'failed', reason: `refusing to run terraform in the shared source folder ${i.componentPath}; run it in the instance's workdir` };
    }
    if (i.backendType === '' || i.backendType === 'local') {
        const state = localState(i.componentPath);
        if (state.length > 0) {
            return {
                status: 'failed',
                reason: `the source folder ${i.componentPath} holds local state (${state.join(', ')}); state is never silently forked into a workdir: ` +
                    'move it to a remote backend, or into the workdir yourself, then run again',
            };
        }
    }
    return null;
}
/** Runs one action for one instance. Throws only for programming errors; terraform's failures come back as status 'failed'. */
async function runInstance(req, ports) {
    const started = ports.clock.now().getTime();
    const i = req.instance;
    const result = {
        instance: instanceKey(i),
        stack: i.stack,
        component: i.component,
        action: req.action,
        status: 'failed',
        reason: '',
        durationMs: 0,
        steps: [],
    };
    const finish = (status, reason) => {
        result.status = status;
        result.reason = reason;
        result.durationMs = ports.clock.now().getTime() - started;
        return result;
    };
    const refused = refusal(req);
    if (refused)
        return finish(refused.status, refused.reason);
    if (!external_node_fs_default().existsSync(req.workdir))
        return finish('failed', `the workdir ${req.workdir} does not exist; provision it first`);
    try {
        return await steps(req, ports, result, finish);
    }
    catch (e) {
        if (e instanceof util_errors/* AtmosError */.f7)
            return finish('failed', e.message);
        throw e;
    }
}
async function steps(req, ports, result, finish) {
    const i = req.instance;
    const style = { color: req.color };
    const { env, notes } = terraformEnv({ userEnv: req.env, componentEnv: i.env, parallel: req.parallel ?? false });
    for (const n of notes)
        ports.log.info(`${req.prefix ?? ''}${n}`);
    const written = await writeGeneratedFiles(req.workdir, generatedFiles(i, { autoGenerateBackendFile: req.settings.autoGenerateBackendFile }));
    const backendFile = written.find((w) => w.kind === 'backend');
    const tf = terraformProcess(ports.exec, ports.log, {
        command: i.command || 'terraform',
        cwd: req.workdir,
        env,
        prefix: req.prefix,
        signal: req.signal,
        forceSignal: req.forceSignal,
        where: `component ${i.component} in stack ${i.stack}`,
    });
    const step = async (name, args, quiet = false) => {
        const t0 = ports.clock.now().getTime();
        // Once cancelled, no further step starts: the step reports the cancellation as its own end.
        const r = req.signal?.aborted
            ? { code: null, signal: 'SIGTERM', stdout: '', stderr: '' }
            : await tf.run(args, { quiet });
        result.steps.push({ step: name, ms: ports.clock.now().getTime() - t0, code: r.code, ...(r.signal ? { signal: r.signal } : {}) });
        return r;
    };
    const reconfigure = req.settings.initRunReconfigure || req.reprovisioned || initNeedsReconfigure(req.workdir, backendFile?.path);
    const initRun = () => step('init', initArgs({ ...style, reconfigure, varfile: req.settings.initPassVars ? i.varfileName : undefined }));
    const init = await (req.initGate ? req.initGate(initRun) : initRun());
    if (init.code !== 0)
        return finish('failed', terraformError(init, 'init'));
    await recordInit(req.workdir, backendFile?.path);
    const ws = workspaceStep(i.backendType, i.backend, env);
    if (ws.select) {
        let sel = await step('workspace', workspaceSelectArgs(i.workspace, style));
        if (sel.code !== 0)
            sel = await step('workspace', workspaceNewArgs(i.workspace, style));
        if (sel.code !== 0)
            return finish('failed', terraformError(sel, `workspace ${i.workspace}`));
    }
    if (req.action === 'apply' && req.planfile) {
        const planfile = external_node_path_default().resolve(req.workdir, req.planfile);
        result.planfile = planfile;
        const plan = await show(step, planfile);
        if (typeof plan === 'string')
            return finish('failed', plan);
        result.plan = plan;
        const apply = await step('apply', applyArgs(planfile, style));
        if (apply.code !== 0)
            return finish('failed', terraformError(apply, 'apply'));
        return finish('applied', `applied the saved plan (${summarizePlan(plan)})`);
    }
    const planfile = safe_path_safeJoin(req.workdir, i.planfileName, 'planfile name');
    result.planfile = planfile;
    // A failed plan must never leave an older plan behind for a later apply to pick up.
    await external_node_fs_default().promises.rm(planfile, { force: true });
    const destroy = req.action === 'destroy';
    const planRun = await step('plan', planArgs({ ...style, planfile: i.planfileName, varfile: i.varfileName, destroy }));
    if (planRun.code !== 0 && planRun.code !== 2)
        return finish('failed', terraformError(planRun, destroy ? 'plan -destroy' : 'plan'));
    const plan = await show(step, planfile);
    if (typeof plan === 'string')
        return finish('failed', plan);
    result.plan = plan;
    const changes = planRun.code === 2 || plan.hasChanges;
    if (req.action === 'plan')
        return finish(changes ? 'changes' : 'no-changes', changes ? summarizePlan(plan) : 'no changes');
    if (!changes)
        return finish('no-changes', destroy ? 'nothing to destroy' : 'no changes');
    const apply = await step(destroy ? 'destroy' : 'apply', applyArgs(i.planfileName, style));
    if (apply.code !== 0)
        return finish('failed', terraformError(apply, destroy ? 'destroy' : 'apply'));
    // An applied plan is stale; removing it keeps anyone from trying to apply it twice.
    await external_node_fs_default().promises.rm(planfile, { force: true });
    result.planfile = undefined;
    return finish(destroy ? 'destroyed' : 'applied', summarizePlan(plan));
}
/** `show -json` → PlanResult, or the failure sentence. Its stdout holds values and is never logged. */
async function show(step, planfile) {
    if (!external_node_fs_default().existsSync(planfile))
        return `the plan file ${planfile} does not exist`;
    const r = await step('show', showJsonArgs(planfile), true);
    if (r.code !== 0)
        return terraformError(r, 'show');
    return parsePlanJson(r.stdout);
}

;// CONCATENATED MODULE: ./src/workdir/ttl.ts
/**
 * TTL grammar, as Atmos parses it (docs/atmos-compatibility.md §6.6, pkg/duration): a positive integer is seconds,
 * `<int><unit>` with one lowercase unit s|m|h|d, or a keyword. `0`, `0s`, `0m`, `0h`, `0d` mean
 * "always expired". Everything else (compound `1h30m`, upper case, `w`, negatives, decimals) is
 * a clear error rather than Atmos's silent "invalid means always".
 */

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const KEYWORD_MS = {
    minute: 60_000,
    hourly: 3_600_000,
    daily: 86_400_000,
    weekly: 7 * 86_400_000,
    monthly: 30 * 86_400_000,
    yearly: 365 * 86_400_000,
};
/** Parses a TTL from YAML (string or integer) or a flag. `what` names where it came from, for the error. */
function parseTtl(value, what = 'ttl') {
    let text;
    if (typeof value === 'number') {
        if (!Number.isSafeInteger(value) || value < 0)
            throw badTtl(String(value), what);
        text = String(value);
    }
    else if (typeof value === 'string') {
        text = value;
    }
    else {
        throw badTtl(JSON.stringify(value) ?? String(value), what);
    }
    if (/^\d+$/.test(text)) {
        const n = Number(text);
        if (!Number.isSafeInteger(n))
            throw badTtl(text, what);
        return n === 0 ? { always: true, text } : { always: false, ms: n * 1000, text };
    }
    const m = /^(\d+)([smhd])$/.exec(text);
    if (m) {
        const n = Number(m[1]);
        if (!Number.isSafeInteger(n * UNIT_MS[m[2]]))
            throw badTtl(text, what);
        return n === 0 ? { always: true, text } : { always: false, ms: n * UNIT_MS[m[2]], text };
    }
    const kw = KEYWORD_MS[text];
    if (kw !== undefined)
        return { always: false, ms: kw, text };
    throw badTtl(text, what);
}
function badTtl(text, what) {
    return new util_errors/* AtmosError */.f7(`invalid ${what} ${JSON.stringify(text)}: use a number of seconds (3600), a number with one unit s, m, h or d ` +
        `(30m, 2h, 7d), or one of minute, hourly, daily, weekly, monthly, yearly; 0 means always`);
}
/** True when something last refreshed at `since` is older than the TTL at `now`. */
function isExpired(ttl, since, now) {
    if (ttl.always)
        return true;
    if (!since || Number.isNaN(since.getTime()))
        return true;
    return now.getTime() - since.getTime() > ttl.ms;
}
/** `95s` → `1m35s`, for messages like "TTL 1h expired (updated 2h3m ago)". */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.max(0, Math.round(ms))}ms`;
    let s = Math.floor(ms / 1000);
    const parts = [];
    for (const [unit, size] of [
        ['d', 86400],
        ['h', 3600],
        ['m', 60],
    ]) {
        if (s >= size) {
            parts.push(`${Math.floor(s / size)}${unit}`);
            s %= size;
        }
    }
    if (s > 0 || parts.length === 0)
        parts.push(`${s}s`);
    return parts.slice(0, 2).join('');
}

;// CONCATENATED MODULE: ./src/workdir/decide.ts

function decideProvision(observed, source, now) {
    if (source.kind === 'local') {
        if (!observed.existed)
            return { kind: 'local', mode: 'create' };
        if (!observed.complete)
            return { kind: 'local', mode: 'recheck', why: unfinished(observed) };
        return { kind: 'local', mode: 'incremental' };
    }
    const why = remoteReason(observed, source, now);
    if (why === null)
        return { kind: 'remote-current', reason: `unchanged (source ${source.uri}${at(source.version)} is current)` };
    return { kind: 'remote-fetch', why, existed: observed.existed };
}
/** The action and the sentence users see, once the sync (if any) ran. */
function describeOutcome(d, source, sync) {
    if (d.kind === 'remote-current')
        return { action: 'unchanged', reason: d.reason };
    const s = sync ?? { added: [], updated: [], removed: [] };
    const created = (from) => ({ action: 'created', reason: `created from ${from} (${plural(s.added.length, 'file')})` });
    if (d.kind === 'remote-fetch') {
        const remote = source;
        return d.existed ? { action: 'reprovisioned', reason: `${d.why}: ${summarize(s)}` } : created(`${remote.uri}${at(remote.version)}`);
    }
    if (d.mode === 'create')
        return created(source.path);
    if (d.mode === 'recheck')
        return { action: 'reprovisioned', reason: `${d.why}; compared every file: ${summarize(s)}` };
    return s.added.length + s.updated.length + s.removed.length > 0 ? { action: 'synced', reason: summarize(s) } : { action: 'unchanged', reason: 'unchanged' };
}
function unfinished(o) {
    return o.recovered ? 'previous provision did not finish' : 'workdir was not provisioned by atmos-action';
}
function at(version) {
    return version ? ` at ${version}` : '';
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function summarize(s) {
    const n = s.added.length + s.updated.length + s.removed.length;
    return `synced ${plural(n, 'file')} (${s.added.length} added, ${s.updated.length} updated, ${s.removed.length} removed)`;
}
/** Why a remote source must be fetched again, or null when the workdir is current. */
function remoteReason(o, src, now) {
    if (!o.existed)
        return 'new workdir';
    if (!o.complete)
        return unfinished(o);
    const prev = o.prev;
    if (!prev)
        return 'workdir metadata missing';
    if (prev.source_type !== 'remote')
        return 'source changed from local to remote';
    if ((prev.source_version ?? '') !== (src.version ?? ''))
        return `source version changed (${prev.source_version || 'none'} → ${src.version || 'none'})`;
    if ((prev.source_uri ?? '') !== src.uri)
        return `source URI changed (${prev.source_uri || 'none'} → ${src.uri})`;
    if (src.ttl) {
        if (src.ttl.always)
            return `TTL ${src.ttl.text} means always re-provision`;
        const updated = new Date(prev.updated_at);
        if (isExpired(src.ttl, updated, now)) {
            const age = now.getTime() - updated.getTime();
            return `TTL ${src.ttl.text} expired (updated ${Number.isNaN(age) ? 'at an unknown time' : `${formatDuration(age)} ago`})`;
        }
    }
    return null;
}

;// CONCATENATED MODULE: ./src/workdir/source-guard.ts
/**
 * The rules a source walk applies to symlinks, and its bounds (see sync.ts, which walks the
 * source with these).
 */



const SOURCE_LIMITS = { maxEntries: 100_000, maxBytes: 2 * 1024 ** 3 };
/**
 * Symlink rules and limits for a source walk. A link is followed only when its target, resolved
 * (through every link on the way), stays inside the source root: a committed link to a file or
 * folder outside (`secret.tf -> /home/runner/.ssh/id_rsa`, `shared -> ../../..`) is an error naming
 * it, never copied. Links inside the root are copied as their content.
 */
function sourceGuard(rootAbs, limits) {
    let rootReal;
    try {
        rootReal = external_node_fs_default().realpathSync.native(rootAbs);
    }
    catch (e) {
        throw new util_errors/* AtmosError */.f7(`cannot read folder ${rootAbs}: ${e.message}`, { file: rootAbs, cause: e });
    }
    let entries = 0;
    let bytes = 0;
    return {
        rootReal,
        followLink(abs, rel) {
            let target;
            try {
                target = external_node_fs_default().realpathSync.native(abs);
            }
            catch (e) {
                const code = e.code;
                const why = code === 'ELOOP' ? 'is a symlink loop' : code === 'ENOENT' ? 'is a broken symlink' : `cannot be resolved (${e.message})`;
                throw new util_errors/* AtmosError */.f7(`${rel} in the component source ${rootAbs} ${why}`, { file: abs });
            }
            if (target !== rootReal && !target.startsWith(rootReal + (external_node_path_default()).sep)) {
                let text = '?';
                try {
                    text = external_node_fs_default().readlinkSync(abs);
                }
                catch {
                    // gone meanwhile: the message still names the link
                }
                throw new util_errors/* AtmosError */.f7(`${rel} in the component source ${rootAbs} is a symlink to ${JSON.stringify(text)}, outside the source: ` +
                    `links may only point inside the component's folder (its target is never copied)`, { file: abs });
            }
            return { st: external_node_fs_default().statSync(target), real: target };
        },
        countEntry() {
            if (++entries > limits.maxEntries) {
                throw new util_errors/* AtmosError */.f7(`the component source ${rootAbs} has more than ${limits.maxEntries} files and folders (each path through a symlink counts); ` +
                    `symlinks that fan out (folders linking to the same folder several times) are the usual cause`, { file: rootAbs });
            }
        },
        countBytes(n) {
            bytes += n;
            if (bytes > limits.maxBytes) {
                throw new util_errors/* AtmosError */.f7(`the component source ${rootAbs} holds more than ${Math.round(limits.maxBytes / 1024 ** 2)} MB of files (each path through a symlink counts)`, { file: rootAbs });
            }
        },
    };
}

;// CONCATENATED MODULE: ./src/workdir/sync.ts
/**
 * Incremental one-way sync, source folder → workdir (docs/atmos-compatibility.md §6.3), with a per-file manifest so
 * the no-change path reads no file contents.
 *
 * What a file must look like to count as unchanged without reading it:
 *  - source side: size, mtime, ctime, inode and permission bits all equal to what the manifest
 *    recorded when it last hashed the file, and the file's mtime is older than the previous sync's
 *    start by more than RACY_MS ("racy git": a write in the same timestamp tick as our stat would
 *    otherwise be invisible). Anything else is re-hashed (SHA-256).
 *  - workdir side: size, mtime, ctime and inode equal to what we recorded right after we wrote or
 *    verified the copy, and the source hash equal to the recorded one. ctime cannot be set from
 *    user space, so an edit to the copy (even one that restores the mtime) is noticed.
 * The manifest is only passed in when the previous provision completed (its sentinel exists);
 * after a crash every file is compared by content.
 * This trusts that nothing rewrites a file and restores size, mtime, ctime and inode (which takes
 * changing the system clock), and that the filesystem's timestamps advance within RACY_MS.
 *
 * Longer than 300 lines on purpose: the walk, the compare-or-copy pass and the removal pass share
 * the manifest, the trust rules above and the "first change" hook; split apart, each rule would be
 * checked in one file and relied on in another.
 */









/** Directories never synced, at any depth, either way: metadata, terraform's data dir, workspace state. */
const EXCLUDED_DIRS = new Set([ATMOS_DIR, '.terraform', 'terraform.tfstate.d']);
/** Root-level files never synced either way: local state and its lock. */
const EXCLUDED_ROOT_FILES = new Set(['terraform.tfstate', 'terraform.tfstate.backup', '.terraform.tfstate.lock.info']);
/** Any file with this suffix (the canonical lock file and per-instance ones) is managed by the lock-file seeding, not the sync. */
const LOCK_FILE_SUFFIX = '.terraform.lock.hcl';
/** Generous bound on filesystem timestamp granularity (FAT: 2 s; ext4/xfs/apfs: a clock tick). */
const RACY_MS = 2000;
function isExcludedDir(name) {
    return EXCLUDED_DIRS.has(name);
}
/** `rel` uses forward slashes. */
function isExcludedFile(rel) {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    return name.endsWith(LOCK_FILE_SUFFIX) || (!rel.includes('/') && EXCLUDED_ROOT_FILES.has(name));
}
const yieldToLoop = () => new Promise((r) => setImmediate(r));
/**
 * Walks a tree with synchronous readdir/stat (an order of magnitude cheaper per entry than the
 * promise API, which is what keeps the no-change path cheap), yielding to the event loop every few
 * thousand entries so lock refresh timers keep running on huge trees.
 */
async function walk(root, opts) {
    const tree = { files: new Map(), dirs: [], others: new Map() };
    const seenDirs = new Set();
    let budget = 2000;
    const rootAbs = external_node_path_default().resolve(root);
    const source = opts.followLinks ? sourceGuard(rootAbs, opts.limits ?? SOURCE_LIMITS) : null;
    const visit = async (absDir, relDir) => {
        let id = '';
        if (opts.followLinks) {
            // Symlinked directories are followed; a link back up the tree must not loop forever.
            const st = external_node_fs_default().statSync(absDir);
            id = `${st.dev}:${st.ino}`;
            if (seenDirs.has(id))
                throw new util_errors/* AtmosError */.f7(`symlink loop in the component folder at ${absDir}`, { file: absDir });
            seenDirs.add(id);
        }
        let entries;
        try {
            entries = external_node_fs_default().readdirSync(absDir, { withFileTypes: true });
        }
        catch (e) {
            throw new util_errors/* AtmosError */.f7(`cannot read folder ${absDir}: ${e.message}`, { file: absDir, cause: e, kind: 'instance' });
        }
        const subdirs = [];
        for (const d of entries) {
            if (--budget <= 0) {
                budget = 2000;
                await yieldToLoop();
            }
            // Excluded names are never synced either way, whatever they are: a `.terraform` that is a link
            // to a shared cache (or a file) is left alone, never followed, replaced or deleted.
            if (isExcludedDir(d.name))
                continue;
            const rel = relDir ? `${relDir}/${d.name}` : d.name;
            // absDir is already normalised and d.name has no separator: plain concatenation is exact
            // (and path.join's normalisation is a measurable share of the no-change path).
            const abs = absDir + (external_node_path_default()).sep + d.name;
            let isDir = d.isDirectory();
            let st;
            source?.countEntry();
            // A Dirent of unknown type (some filesystems) is looked at with lstat, so a link is never missed.
            let from = abs;
            if (source && (d.isSymbolicLink() || (!isDir && !d.isFile() && external_node_fs_default().lstatSync(abs).isSymbolicLink()))) {
                // A link that would be left out anyway (`.terraform` linked to a cache, an excluded path) is
                // not followed, so it is neither copied nor refused.
                if (isExcludedDir(d.name) || (opts.include && !opts.include(rel, true) && !opts.include(rel, false)))
                    continue;
                // Walk on from the link's real target: paths stay short however many links lead there.
                ({ st, real: from } = source.followLink(abs, rel));
                isDir = st.isDirectory();
            }
            if (isDir) {
                if (isExcludedDir(d.name))
                    continue;
                if (opts.include && !opts.include(rel, true))
                    continue;
                subdirs.push([from, rel]);
                continue;
            }
            if (isExcludedFile(rel))
                continue;
            if (opts.include && !opts.include(rel, false))
                continue;
            st ??= opts.followLinks ? external_node_fs_default().statSync(abs) : external_node_fs_default().lstatSync(abs);
            if (st.isFile())
                source?.countBytes(st.size);
            if (st.isFile())
                tree.files.set(rel, { abs: from, st });
            else if (!opts.followLinks)
                tree.others.set(rel, { abs, st });
            // Source sockets/fifos/devices are not part of a Terraform module: skipped.
        }
        for (const [abs, rel] of subdirs) {
            tree.dirs.push(rel);
            await visit(abs, rel);
        }
        if (id)
            seenDirs.delete(id);
    };
    await visit(source ? source.rootReal : rootAbs, '');
    return tree;
}
const perm = (st) => st.mode & 0o7777;
/** Runs `fn` over `items`, `n` at a time; after a failure nothing new starts, and the first error is thrown once the running ones finished. */
async function pool(items, n, fn) {
    const results = await schedule(items.map((key) => ({ key, value: key })), fn, { parallelism: n, failFast: true });
    const failed = results.find((r) => r.status === 'failed');
    if (failed)
        throw failed.error;
}
function fsError(what, file, e) {
    return new util_errors/* AtmosError */.f7(`${what} ${file}: ${e.message}`, { file, cause: e });
}
/** Syncs `src` into `dst` (which must exist). See the module comment for what "unchanged" trusts. */
async function syncTree(src, dst, opts) {
    const startedAt = Date.now();
    const prev = opts.manifest;
    const srcTree = await walk(src, { followLinks: true, include: opts.include, limits: { ...SOURCE_LIMITS, ...opts.limits } });
    const dstTree = await walk(dst, { followLinks: false });
    const result = {
        added: [],
        updated: [],
        removed: [],
        unchanged: 0,
        hashed: 0,
        changed: false,
        manifest: { version: 2, started_at_ms: startedAt, files: {}, content_hash: '' },
        manifestDirty: !prev,
    };
    let firstChange = null;
    const mutate = async () => {
        result.changed = true;
        firstChange ??= opts.beforeFirstChange ? opts.beforeFirstChange() : Promise.resolve();
        await firstChange;
    };
    // 1. Directories: make the source's folders exist (parents first), replacing a file in the way.
    const srcDirSet = new Set(srcTree.dirs);
    const dstDirSet = new Set(dstTree.dirs);
    for (const rel of srcTree.dirs) {
        if (dstDirSet.has(rel))
            continue;
        await mutate();
        const abs = external_node_path_default().join(dst, rel);
        try {
            if (dstTree.files.has(rel) || dstTree.others.has(rel)) {
                await external_node_fs_default().promises.rm(abs, { force: true });
                dstTree.files.delete(rel);
                dstTree.others.delete(rel);
                result.removed.push(rel);
            }
            await external_node_fs_default().promises.mkdir(abs, { recursive: true });
        }
        catch (e) {
            throw fsError('cannot create folder', abs, e);
        }
    }
    // 2. Files: decide per file, copy what differs.
    const prevStart = prev?.started_at_ms ?? 0;
    const entries = result.manifest.files;
    // Fast path, synchronous and allocation-free: a file whose source and copy both still match the
    // manifest keeps its manifest entry as is. Only the rest goes through the async pool below.
    const toCheck = [];
    for (const [rel, s] of srcTree.files) {
        const old = prev?.files[rel];
        const d = dstTree.files.get(rel);
        if (old &&
            d &&
            sameSource(old, s.st) &&
            entryMode(old) === perm(s.st) &&
            s.st.mtimeMs < prevStart - RACY_MS &&
            sameCopy(old, d.st) &&
            perm(d.st) === entryMode(old)) {
            entries[rel] = old;
            result.unchanged++;
        }
        else {
            toCheck.push(rel);
        }
    }
    await pool(toCheck, opts.concurrency ?? 16, async (rel) => {
        const s = srcTree.files.get(rel);
        const old = prev?.files[rel];
        const mode = perm(s.st);
        let sha;
        if (old && sameSource(old, s.st) && entryMode(old) === mode && s.st.mtimeMs < prevStart - RACY_MS) {
            sha = entrySha(old);
        }
        else {
            result.hashed++;
            result.manifestDirty = true;
            try {
                sha = await hash_sha256File(s.abs);
            }
            catch (e) {
                throw fsError('cannot read', s.abs, e);
            }
        }
        const dAbs = external_node_path_default().join(dst, rel);
        const d = dstTree.files.get(rel);
        let dStat = d?.st;
        let action = null;
        if (!d) {
            action = dstTree.others.has(rel) || dstDirSet.has(rel) ? 'updated' : 'added';
        }
        else {
            let same;
            if (old && sameCopy(old, d.st) && entrySha(old) === sha)
                same = true;
            else if (d.st.size !== s.st.size)
                same = false;
            else {
                result.hashed++;
                result.manifestDirty = true;
                same = (await hash_sha256File(d.abs).catch(() => '')) === sha;
            }
            if (!same)
                action = 'updated';
            else if (perm(d.st) !== mode)
                action = 'mode';
        }
        if (action === 'mode') {
            await mutate();
            try {
                await external_node_fs_default().promises.chmod(dAbs, mode);
                dStat = await external_node_fs_default().promises.lstat(dAbs);
            }
            catch (e) {
                throw fsError('cannot change the mode of', dAbs, e);
            }
            result.updated.push(rel);
        }
        else if (action) {
            await mutate();
            if (!d && (dstTree.others.has(rel) || dstDirSet.has(rel))) {
                // A symlink or folder where the source has a file: replace it.
                await external_node_fs_default().promises.rm(dAbs, { recursive: true, force: true });
            }
            dStat = await copyFileInto(s.abs, dAbs, mode, action === 'added');
            (action === 'added' ? result.added : result.updated).push(rel);
            await opts.afterCopy?.(rel);
        }
        else {
            result.unchanged++;
        }
        if (action)
            result.manifestDirty = true;
        entries[rel] = manifestEntry(s.st, mode, sha, dStat);
    });
    // 3. Remove what left the source (never excluded paths: they were not walked; never preserved files).
    for (const [rel, e] of [...dstTree.files, ...dstTree.others]) {
        if (srcTree.files.has(rel) || srcDirSet.has(rel))
            continue;
        if (opts.preserve?.(rel))
            continue;
        const quiet = opts.regenerated?.(rel) ?? false;
        if (!quiet)
            await mutate();
        try {
            await external_node_fs_default().promises.rm(e.abs, { force: true });
        }
        catch (err) {
            throw fsError('cannot delete', e.abs, err);
        }
        if (!quiet)
            result.removed.push(rel);
    }
    // Folders that left the source, deepest first; one still holding excluded or preserved content stays.
    for (const rel of [...dstTree.dirs].reverse()) {
        if (srcDirSet.has(rel))
            continue;
        try {
            await external_node_fs_default().promises.rmdir(external_node_path_default().join(dst, rel));
            await mutate();
        }
        catch {
            // ENOTEMPTY: it holds .terraform/ or a preserved file; leave it.
        }
    }
    if (result.changed)
        result.manifestDirty = true;
    // Reuse the previous content hash when nothing changed and every hash came from the manifest.
    result.manifest.content_hash =
        !result.manifestDirty && prev?.content_hash ? prev.content_hash : contentHash(Object.entries(entries).map(([rel, e]) => [rel, entrySha(e)]));
    if (!result.manifestDirty)
        result.manifest.started_at_ms = prevStart;
    for (const list of [result.added, result.updated, result.removed])
        list.sort();
    return result;
}
/**
 * Copies one file. An existing file is replaced atomically (temp + rename): the destination is the
 * old file or the complete new one, and a process killed mid-copy leaves at worst a `.name.tmp-*`
 * file that the next sync deletes as not in the source. A new file is written in place (half the
 * syscalls on a first provision): if the process dies mid-write, the sentinel is missing, so the
 * next sync compares it by content and replaces it. Reflinks where the filesystem supports them.
 */
async function copyFileInto(srcAbs, dstAbs, mode, isNew) {
    if (isNew) {
        try {
            await external_node_fs_default().promises.copyFile(srcAbs, dstAbs, (external_node_fs_default()).constants.COPYFILE_FICLONE | (external_node_fs_default()).constants.COPYFILE_EXCL);
            let st = await external_node_fs_default().promises.lstat(dstAbs);
            if (perm(st) !== mode) {
                await external_node_fs_default().promises.chmod(dstAbs, mode);
                st = await external_node_fs_default().promises.lstat(dstAbs);
            }
            return st;
        }
        catch (e) {
            // EEXIST: something appeared since the walk; fall back to replacing it atomically.
            if (e.code !== 'EEXIST')
                throw fsError(`cannot copy ${srcAbs} to`, dstAbs, e);
        }
    }
    const tmp = tempNameFor(dstAbs);
    try {
        await external_node_fs_default().promises.copyFile(srcAbs, tmp, (external_node_fs_default()).constants.COPYFILE_FICLONE);
        // copyFile keeps the source mode on Linux/macOS, but not everywhere (and not through some
        // mounts); the mode is part of "same file", so make sure.
        const st = await external_node_fs_default().promises.lstat(tmp);
        if (perm(st) !== mode)
            await external_node_fs_default().promises.chmod(tmp, mode);
        await external_node_fs_default().promises.rename(tmp, dstAbs);
        // rename keeps the inode, size and times: the stat to record is the temp file's (ctime moves on rename on some filesystems, so re-stat).
        return await external_node_fs_default().promises.lstat(dstAbs);
    }
    catch (e) {
        await external_node_fs_default().promises.rm(tmp, { force: true }).catch(() => { });
        throw fsError(`cannot copy ${srcAbs} to`, dstAbs, e);
    }
}

;// CONCATENATED MODULE: ./src/workdir/lock-seed.ts
/**
 * Lock-file seeding: which committed `.terraform.lock.hcl` a workdir starts from, and when the one
 * `terraform init` wrote there is replaced.
 */






/** Atmos's per-instance lock file name (pkg/provisioner/instance.go): `.<stack>-<component>.terraform.lock.hcl`, `/`, `\` and spaces as `-`. */
function instanceLockFileName(stack, component) {
    const key = `${stack}-${component}`.replace(/[/\\ ]/g, '-').replace(/^-+|-+$/g, '');
    return `.${key}${LOCK_FILE_SUFFIX}`;
}
/** The lock file terraform reads and writes in the folder it runs in. */
const lock_seed_CANONICAL_LOCK = '.terraform.lock.hcl';
/**
 * Seeds `<workdir>/.terraform.lock.hcl` from the committed per-instance lock file, else the base
 * component's `.terraform.lock.hcl`. The lock file `terraform init` writes in the workdir is kept
 * across syncs until the committed file it was seeded from changes (its hash is in the metadata):
 * then it is re-seeded. A per-instance file always wins over what the workdir has (Atmos copies it
 * on every run); the base file only seeds a workdir without a lock file, or replaces one after the
 * base file changed.
 */
async function seedLockFile(sourceDir, wd, instance, prevSeed) {
    const target = external_node_path_default().join(wd, lock_seed_CANONICAL_LOCK);
    const perInstanceName = instanceLockFileName(instance.stack, instance.component);
    let file = null;
    let data = null;
    for (const name of [perInstanceName, lock_seed_CANONICAL_LOCK]) {
        try {
            data = await external_node_fs_default().promises.readFile(external_node_path_default().join(sourceDir, name));
            file = name;
            break;
        }
        catch (e) {
            // ENAMETOOLONG: a per-instance lock file name past the file-name limit cannot exist.
            const code = e.code;
            if (code !== 'ENOENT' && code !== 'ENAMETOOLONG') {
                throw new util_errors/* AtmosError */.f7(`cannot read lock file ${external_node_path_default().join(sourceDir, name)}: ${e.message}`, { file: external_node_path_default().join(sourceDir, name) });
            }
        }
    }
    const targetExists = external_node_fs_default().existsSync(target);
    if (!file || !data)
        return { action: targetExists ? 'kept' : 'none' };
    const seed = { file, sha256: sha256Text(data) };
    const sameSeed = prevSeed?.file === seed.file && prevSeed.sha256 === seed.sha256;
    if (!targetExists) {
        await atomicWriteFile(target, data, 0o644);
        return { action: prevSeed ? 'reseeded' : 'seeded', seed };
    }
    if (sameSeed)
        return { action: 'kept', seed };
    if (!prevSeed && file === lock_seed_CANONICAL_LOCK) {
        // The workdir already has a lock file we did not seed (init ran before the base file was
        // committed, or another tool made the workdir): the base file only seeds empty workdirs.
        // Remember its hash so a later change to it is noticed.
        return { action: 'kept', seed };
    }
    await atomicWriteFile(target, data, 0o644);
    return { action: prevSeed ? 'reseeded' : 'seeded', seed };
}

;// CONCATENATED MODULE: ./src/util/redact.ts
/**
 * The one place credentials are taken out of text before it reaches a log line, an error message,
 * workdir metadata or anything else a user or a log collector can read. It works on free text
 * (git's error output echoes URLs), not only on a single URI.
 */
/** Query parameters whose values are secrets (go-getter's `sshkey`, GitLab/GitHub style tokens, signed URLs). */
const SECRET_PARAMS = /([?&;](?:access_token|private_token|token|sshkey|password|passwd|secret|client_secret|key|auth|sig|signature|x-amz-signature|x-amz-credential)=)[^&;#\s'"]*/gi;
/**
 * `<scheme>://<userinfo>@`: everything from the scheme up to the last `@` of the URL (before any
 * query) counts as user info, so a password holding an unencoded `/` or `@`
 * (`https://user:p@ss/w@host/repo`) is hidden whole. A URL path never holds an `@` in the forms git
 * accepts, so the only cost is an over-eager redaction of an odd URL.
 */
const SCHEME_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s'"<>?#]*)@/gi;
/** Without a scheme: `user:token@host…` at the start of a word (or after go-getter's `git::`). */
const BARE_USERINFO = /(^|[\s'"(<=,]|::)([^\s'"<>@/:]+:(?!:|\/\/)[^\s'"<>]*)@(?=[a-z0-9[])/gi;
/** HTTP authorization as git prints it with GIT_TRACE/GIT_CURL_VERBOSE, and as an extraheader config value. */
const AUTH_HEADER = /(authorization:\s*(?:basic|bearer|token)\s+)[^\s'"]+/gi;
/** Schemes where a user name without a password is not a secret (`ssh://git@host/…`). */
const USER_IS_PUBLIC = /^(ssh|git\+ssh|ssh\+git|sftp):\/\//i;
/**
 * Returns `text` with URL credentials (`***@`), secret query values (`token=***`), authorization
 * headers and any of the `secrets` given (tokens from the environment, and their base64 forms as
 * git would send them) replaced by `***`.
 */
function redactSecrets(text, secrets = []) {
    let out = text.replace(SCHEME_USERINFO, (all, scheme, userinfo) => {
        if (USER_IS_PUBLIC.test(scheme) && !userinfo.includes(':') && !userinfo.includes('/'))
            return all;
        return `${scheme}***@`;
    });
    out = out.replace(BARE_USERINFO, (_all, before) => `${before}***@`);
    out = out.replace(SECRET_PARAMS, '$1***').replace(AUTH_HEADER, '$1***');
    for (const s of secrets) {
        // Very short values would redact ordinary words; real tokens are long.
        if (!s || s.length < 6)
            continue;
        for (const form of [s, Buffer.from(s).toString('base64'), Buffer.from(`x-access-token:${s}`).toString('base64')]) {
            out = out.split(form).join('***');
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/workdir/git-url.ts
/**
 * Which git URLs a source may name, and taking credentials out of them (see remote.ts): only forms
 * whose meaning git cannot mistake, nothing git or ssh could read as an option.
 */




function decodeQuery(text, where) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        throw new util_errors/* AtmosError */.f7(`${where}: source URI has a malformed %-escape in ${(0,log_safe/* showValue */.vp)(redactSecrets(text))}`);
    }
}
const SCHEME_URL = /^(https?|ssh|git|git\+ssh|ssh\+git|file):\/\/(.*)$/i;
/** scp-like `[user@]host:path`, and nothing else: no `<transport>::<address>` remote helpers, no options. */
const SCP_LIKE = /^(?:([^@:/]+)@)?([^@:/]+):(?!\/\/)(.+)$/;
const SAFE_USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;
const SAFE_HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?::\d{1,5})?$/;
/**
 * Accepts only URL forms whose meaning git cannot mistake: `https://`, `http://`, `ssh://`,
 * `git://`, `file://`, a plain scp-like `user@host:path`, or an absolute path. Nothing that starts
 * with `-` (git or ssh would read it as an option: `--upload-pack=…`, `-oProxyCommand=…`), no
 * scp-like path segment starting with `-`, no `<transport>::` remote helpers (`ext::` runs a
 * command), no white space. An `https://user:password@` part is taken out of the URL and returned,
 * so it reaches git through the environment only.
 */
function checkGitUrl(url, where, original) {
    const refuse = (why) => new util_errors/* AtmosError */.f7(`${where}: source ${(0,log_safe/* showValue */.vp)(redactSecrets(original))} is not a valid git URL: ${why}; use https://host/org/repo.git, ssh://git@host/org/repo.git, git@host:org/repo.git, file:///path or an absolute path`);
    if (url.startsWith('-'))
        throw refuse('it starts with "-", which git would read as an option');
    if (/\s/.test(url))
        throw refuse('it contains white space');
    // `<transport>::<address>` makes git run git-remote-<transport> (ext:: runs a command of the URL's choosing).
    if (/^[A-Za-z0-9+.-]*::/.test(url))
        throw refuse('git remote helpers (<transport>::<address>, such as ext::) are never used');
    const m = SCHEME_URL.exec(url);
    if (m) {
        const scheme = m[1].toLowerCase();
        const rest = m[2];
        if (scheme === 'file') {
            if (!rest.startsWith('/'))
                throw refuse('file:// needs an absolute path');
            return { url };
        }
        const at = rest.lastIndexOf('@');
        const userinfo = at >= 0 ? rest.slice(0, at) : '';
        const hostPath = rest.slice(at + 1);
        const host = hostPath.split('/')[0];
        if (!SAFE_HOST.test(host))
            throw refuse(`the host ${(0,log_safe/* showValue */.vp)(redactSecrets(host))} is not a host name`);
        if (!userinfo)
            return { url };
        if (scheme === 'http' || scheme === 'https') {
            const colon = userinfo.indexOf(':');
            const user = decodeQuery(colon >= 0 ? userinfo.slice(0, colon) : userinfo, where);
            const password = decodeQuery(colon >= 0 ? userinfo.slice(colon + 1) : '', where);
            // Decoded credentials become an HTTP header: a line break there would add headers of its own.
            if (log_safe/* CONTROL_CHAR */.b4.test(user + password))
                throw refuse('the user name or password holds a control character');
            return { url: `${scheme}://${hostPath}`, credentials: { origin: `${scheme}://${host}`, user, password } };
        }
        if (scheme === 'git')
            throw refuse('git:// does not take a user name');
        if (!SAFE_USER.test(userinfo))
            throw refuse('ssh takes a plain user name, never a password (use an ssh key, or https with a token)');
        return { url };
    }
    const scp = SCP_LIKE.exec(url);
    if (scp && !external_node_path_default().isAbsolute(url)) {
        const [, user, host, repoPath] = scp;
        if (user !== undefined && !SAFE_USER.test(user))
            throw refuse('the user name of an scp-like address must be plain (no password, no leading "-")');
        if (!SAFE_HOST.test(host))
            throw refuse(`the host ${(0,log_safe/* showValue */.vp)(host)} is not a host name`);
        if (repoPath.startsWith(':'))
            throw refuse('"::" after the host');
        if (repoPath.includes('@'))
            throw refuse('an "@" after the host (a password, or a second address)');
        if (repoPath.split('/').some((seg) => seg.startsWith('-')))
            throw refuse('a path segment starts with "-", which git or ssh could read as an option');
        return { url };
    }
    if (external_node_path_default().isAbsolute(url))
        return { url };
    throw refuse('git cannot tell how to fetch it');
}

;// CONCATENATED MODULE: ./src/workdir/remote.ts
/**
 * Remote component sources (`source:`, docs/atmos-compatibility.md §6.5): parsing the spec, resolving the go-getter
 * style URI forms people write, and fetching git sources with the `git` CLI through the Exec port
 * (argv arrays only; shallow; the version is the ref).
 */









/**
 * `source` as written on the component: a URI string, or `{uri, version, included_paths,
 * excluded_paths, ttl}`. Returns null when the component has no remote source (absent or empty).
 * `where` names the instance for errors.
 */
function parseSourceSpec(source, where) {
    if (source === undefined || source === null || source === '')
        return null;
    if (typeof source === 'string')
        return { uri: source, includedPaths: [], excludedPaths: [] };
    if (typeof source !== 'object' || Array.isArray(source)) {
        throw new util_errors/* AtmosError */.f7(`${where}: source must be a URI string or a map with uri, version, included_paths, excluded_paths, ttl`);
    }
    const s = source;
    if (Object.keys(s).length === 0)
        return null;
    if (typeof s.uri !== 'string' || s.uri === '')
        throw new util_errors/* AtmosError */.f7(`${where}: source.uri is required and must be a string`);
    const list = (key) => {
        const v = s[key];
        if (v === undefined || v === null)
            return [];
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
            throw new util_errors/* AtmosError */.f7(`${where}: source.${key} must be a list of glob strings`);
        return v;
    };
    let version;
    if (s.version !== undefined && s.version !== null && s.version !== '') {
        if (typeof s.version !== 'string' && typeof s.version !== 'number')
            throw new util_errors/* AtmosError */.f7(`${where}: source.version must be a string`);
        version = String(s.version);
    }
    let ttl;
    if (s.ttl !== undefined && s.ttl !== null && s.ttl !== '') {
        if (typeof s.ttl !== 'string' && typeof s.ttl !== 'number')
            throw new util_errors/* AtmosError */.f7(`${where}: source.ttl must be a string such as 1h or 7d`);
        ttl = s.ttl;
    }
    return { uri: s.uri, version, includedPaths: list('included_paths'), excludedPaths: list('excluded_paths'), ttl };
}
const GIT_HOSTS = ['github.com', 'gitlab.com', 'bitbucket.org'];
const UNSUPPORTED = /^(oci|s3|gcs|hg|http|https)::|^oci:\/\//;
/** A source URI as it may be shown or stored: credentials and secret query values replaced (see redactSecrets). */
function redactUri(uri) {
    return redactSecrets(uri);
}
/**
 * Splits `<address>//<subdir>?<query>` the way go-getter does (the `//` after the scheme's `://`)
 * and maps the address to something `git` understands:
 *  - `github.com/org/repo//path?ref=v1` (also gitlab.com, bitbucket.org) → https://github.com/org/repo.git
 *  - `git::https://…`, `git::ssh://…`, `git::file:///…`, `git@host:org/repo.git`, `https://…/repo.git`
 *  - `file:///dir` or an absolute folder without `git::` → a plain local copy.
 * The ref comes from `?ref=`, else from `version` (Atmos appends the version unless the URI has a ref).
 */
function resolveSourceUri(spec, where) {
    // Refused before anything else: these values reach log lines (workflow command injection) and git's argv.
    // The value is shown redacted; a control character hidden inside the credentials is refused all the same.
    if (log_safe/* CONTROL_CHAR */.b4.test(spec.uri)) {
        (0,log_safe/* refuseControlChars */.d5)(redactUri(spec.uri), `${where}: source URI`);
        throw new util_errors/* AtmosError */.f7(`${where}: source URI ${(0,log_safe/* showValue */.vp)(redactUri(spec.uri))} contains a control character in its credentials`);
    }
    if (spec.version !== undefined)
        (0,log_safe/* refuseControlChars */.d5)(spec.version, `${where}: source version`);
    let uri = spec.uri.trim();
    if (UNSUPPORTED.test(uri)) {
        throw new util_errors/* AtmosError */.f7(`${where}: source ${(0,log_safe/* showValue */.vp)(redactUri(uri))} is not supported: atmos-action fetches git sources (git::…, github.com/…) and local folders only`);
    }
    let forcedGit = false;
    if (uri.startsWith('git::')) {
        forcedGit = true;
        uri = uri.slice(5);
    }
    let query = '';
    const q = uri.indexOf('?');
    if (q >= 0) {
        query = uri.slice(q + 1);
        uri = uri.slice(0, q);
    }
    const schemeEnd = uri.indexOf('://');
    const offset = schemeEnd >= 0 ? schemeEnd + 3 : 0;
    let subdir;
    const sd = uri.indexOf('//', offset);
    if (sd >= 0) {
        subdir = uri.slice(sd + 2).replace(/\/+$/, '');
        uri = uri.slice(0, sd);
        if (subdir === '' || subdir === '.')
            subdir = undefined;
        else
            safe_path_safeRelativeSegments(subdir, `${where}: source sub-folder`);
    }
    let ref;
    for (const part of query.split('&').filter(Boolean)) {
        const eq = part.indexOf('=');
        const key = decodeQuery(eq >= 0 ? part.slice(0, eq) : part, where);
        const value = decodeQuery(eq >= 0 ? part.slice(eq + 1) : '', where);
        if (key === 'ref')
            ref = value;
        else if (key === 'depth')
            continue; // always shallow
        else
            throw new util_errors/* AtmosError */.f7(`${where}: source URI parameter ${(0,log_safe/* showValue */.vp)(key)} is not supported (only ref and depth)`);
    }
    ref ??= spec.version;
    if (ref !== undefined && (ref === '' || ref.startsWith('-') || /\s/.test(ref) || log_safe/* CONTROL_CHAR */.b4.test(ref))) {
        // A ref starting with `-` would be read by git as an option.
        throw new util_errors/* AtmosError */.f7(`${where}: source version/ref ${(0,log_safe/* showValue */.vp)(ref)} is not a valid git ref${ref.startsWith('-') ? ' (it starts with "-", which git would read as an option)' : ''}`);
    }
    if (!forcedGit) {
        if (uri.startsWith('file://') || (external_node_path_default().isAbsolute(uri) && external_node_fs_default().existsSync(uri) && external_node_fs_default().statSync(uri).isDirectory() && !external_node_fs_default().existsSync(external_node_path_default().join(uri, '.git')))) {
            const dir = uri.startsWith('file://') ? decodeURIComponent(uri.slice(7)) : uri;
            return { kind: 'local', dir, subdir };
        }
        const host = GIT_HOSTS.find((h) => uri.startsWith(`${h}/`));
        if (host) {
            const repoPath = uri.slice(host.length + 1).replace(/\.git$/, '');
            if (!/^[^/]+\/[^/]+(\/[^/]+)*$/.test(repoPath) || repoPath.split('/').some((seg) => seg.startsWith('-'))) {
                throw new util_errors/* AtmosError */.f7(`${where}: source ${(0,log_safe/* showValue */.vp)(redactUri(spec.uri))} should look like ${host}/<org>/<repo>`);
            }
            return { kind: 'git', url: `https://${host}/${repoPath}.git`, ref, subdir };
        }
        if (/^[\w.-]+@[\w.-]+:/.test(uri) || /^(https?|ssh):\/\/.+\.git$/.test(uri) || external_node_path_default().isAbsolute(uri)) {
            return { kind: 'git', ...checkGitUrl(uri, where, spec.uri), ref, subdir };
        }
        throw new util_errors/* AtmosError */.f7(`${where}: cannot tell how to fetch source ${(0,log_safe/* showValue */.vp)(redactUri(spec.uri))}; write it as git::https://host/org/repo.git//path?ref=v1 or github.com/org/repo//path`);
    }
    return { kind: 'git', ...checkGitUrl(uri, where, spec.uri), ref, subdir };
}
/** Include/exclude doublestar globs, relative to the source root; `.git` never; excluded checked first. */
function sourceFilter(spec) {
    const exclude = spec.excludedPaths.length ? picomatch_default()(spec.excludedPaths, { dot: true }) : null;
    const include = spec.includedPaths.length ? picomatch_default()(spec.includedPaths, { dot: true }) : null;
    return (rel, isDir) => {
        const name = rel.slice(rel.lastIndexOf('/') + 1);
        if (name === '.git')
            return false;
        // A folder pattern excludes the folder itself (`tests`) or everything below it (`tests/**`).
        if (exclude && (exclude(rel) || (isDir && exclude(`${rel}/`))))
            return false;
        if (isDir)
            return true; // includes are judged per file
        return include ? include(rel) : true;
    };
}
/**
 * Env for git: never prompt, and authenticate through GIT_CONFIG_* variables rather than the URL or
 * argv, so a token shows up in neither `ps` nor git's error messages: the user and password taken
 * out of an `https://user:password@host/…` URL for that origin, else (for github.com) a token in
 * the env.
 */
function gitEnv(url, env, credentials) {
    const out = { ...env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: env.GIT_ASKPASS ?? 'echo' };
    const addConfig = (key, value) => {
        const n = Number(out.GIT_CONFIG_COUNT ?? 0) || 0;
        out.GIT_CONFIG_COUNT = String(n + 1);
        out[`GIT_CONFIG_KEY_${n}`] = key;
        out[`GIT_CONFIG_VALUE_${n}`] = value;
    };
    const basic = (userPass) => `AUTHORIZATION: basic ${Buffer.from(userPass).toString('base64')}`;
    const token = env.ATMOS_GITHUB_TOKEN || env.GITHUB_TOKEN;
    if (credentials)
        addConfig(`http.${credentials.origin}/.extraheader`, basic(`${credentials.user}:${credentials.password}`));
    else if (token && /^https:\/\/github\.com\//.test(url))
        addConfig('http.https://github.com/.extraheader', basic(`x-access-token:${token}`));
    return out;
}
/** Default deadline for fetching one git source (init, fetch, checkout together). */
const DEFAULT_GIT_TIMEOUT_MS = 10 * 60_000;
/**
 * The fetch deadline from `ATMOS_ACTION_GIT_TIMEOUT` (entry points read the variable and pass the
 * value): seconds (`600`) or one unit (`90s`, `10m`, `1h`). Unset or empty: the default.
 */
function parseGitTimeout(value) {
    if (value === undefined || value.trim() === '')
        return DEFAULT_GIT_TIMEOUT_MS;
    const what = 'ATMOS_ACTION_GIT_TIMEOUT';
    if (!/^\d+[smh]?$/.test(value.trim()))
        throw new util_errors/* AtmosError */.f7(`invalid ${what} ${(0,log_safe/* showValue */.vp)(value)}: use seconds (600) or a number with s, m or h (90s, 10m)`);
    const ttl = parseTtl(value.trim(), what);
    if (ttl.always)
        throw new util_errors/* AtmosError */.f7(`invalid ${what} ${(0,log_safe/* showValue */.vp)(value)}: a deadline must be longer than 0`);
    return ttl.ms;
}
/** What git printed, fit for an error message: secrets redacted, control characters visible, the last lines on one line. */
function gitOutputForMessage(text, secrets) {
    return (0,log_safe/* showValue */.vp)(redactSecrets(text, secrets).trim().split('\n').slice(-3).join(' | ')).slice(1, -1);
}
/**
 * Fetches a git source into `into` (an empty folder on the same filesystem as the workdir):
 * `git init`, a shallow `fetch` of the ref (or HEAD), `checkout FETCH_HEAD`. A commit SHA that the
 * server will not serve shallowly is fetched in full. Returns the folder and the commit.
 * The whole sequence has one deadline (`timeoutMs`); past it git is killed (with any helper it
 * started) and the error names the source and the time waited.
 */
async function fetchGitSource(src, into, ports, displayUri) {
    const env = gitEnv(src.url, ports.env, src.credentials);
    const secrets = [ports.env.ATMOS_GITHUB_TOKEN, ports.env.GITHUB_TOKEN, src.credentials?.password];
    const at = src.ref ? ` at ${src.ref}` : '';
    const timeoutMs = ports.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
    const started = Date.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const git = async (args, what, allowFail = false) => {
        const timedOut = () => new util_errors/* AtmosError */.f7(`cannot fetch source ${displayUri}${at}: git ${what} did not finish within the ${formatSeconds(timeoutMs)} deadline ` +
            `and was stopped after ${formatSeconds(Date.now() - started)} (ATMOS_ACTION_GIT_TIMEOUT sets the deadline)`);
        if (deadline.signal.aborted)
            throw timedOut();
        // The ext:: transport runs a command of the URL's choosing: never, whatever the user's git config says.
        const r = await ports.exec.run('git', ['-c', 'protocol.ext.allow=never', ...args], { cwd: into, env, signal: deadline.signal, killSignal: 'SIGKILL' });
        if (deadline.signal.aborted)
            throw timedOut();
        if (r.code !== 0 && !allowFail) {
            throw new util_errors/* AtmosError */.f7(`cannot fetch source ${displayUri}${at}: git ${what} failed: ${gitOutputForMessage(r.stderr || r.stdout, secrets)}`, {
                kind: 'instance',
            });
        }
        return r;
    };
    try {
        await git(['init', '-q', '.'], 'init');
        const ref = src.ref ?? 'HEAD';
        // `--` ends the options: the URL and the ref are positional whatever they look like (both are also validated).
        const shallow = await git(['-c', 'protocol.version=2', 'fetch', '-q', '--depth', '1', '--no-tags', '--', src.url, ref], 'fetch', /^[0-9a-f]{7,40}$/i.test(ref));
        if (shallow.code !== 0) {
            // Servers that refuse to serve an arbitrary commit shallowly: fetch everything, then check it out.
            await git(['fetch', '-q', '--no-tags', '--', src.url, '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'], 'fetch');
            // The `--` after the commit: it is never read as a path (or, validated, as an option).
            await git(['-c', 'advice.detachedHead=false', 'checkout', '-q', '--detach', ref, '--'], 'checkout');
        }
        else {
            await git(['-c', 'advice.detachedHead=false', 'checkout', '-q', '--detach', 'FETCH_HEAD', '--'], 'checkout');
        }
        const head = await git(['rev-parse', '--verify', 'HEAD^{commit}'], 'rev-parse');
        const dir = src.subdir ? external_node_path_default().join(into, ...src.subdir.split('/')) : into;
        if (!external_node_fs_default().existsSync(dir) || !external_node_fs_default().statSync(dir).isDirectory()) {
            throw new util_errors/* AtmosError */.f7(`source ${displayUri}${at} has no folder ${src.subdir}`);
        }
        return { dir, identity: head.stdout.trim() };
    }
    finally {
        clearTimeout(timer);
    }
}
function formatSeconds(ms) {
    return ms % 1000 === 0 ? formatDuration(ms) : `${(ms / 1000).toFixed(1)}s`;
}

;// CONCATENATED MODULE: ./src/workdir/provision.ts
/**
 * Provisioning one instance's workdir: local sync or remote (JIT) source, lock-file seeding,
 * metadata, all under the instance's cross-process lock, with a sentinel written last so a workdir
 * left half-done by a killed process is redone rather than trusted.
 */
















/** Plan files: written into the workdir by plan, read by a later apply; kept by the sync. */
const DEFAULT_PRESERVE = ['*.planfile', '*.tfplan'];
/** Generated into the workdir after every provision (docs/atmos-compatibility.md §6.3): removed quietly, then rewritten by the terraform step. */
const DEFAULT_REGENERATED = ['backend.tf.json', 'providers_override.tf.json', '*.terraform.tfvars.json'];
/** Workdirs are on when the merged `provision.workdir.enabled` is true, or when forced (`--workdir` / action input). */
function isWorkdirEnabled(instance, force) {
    if (force)
        return true;
    const wd = instance.provision?.workdir;
    return !!wd && typeof wd === 'object' && wd.enabled === true;
}
function describeInstance(i) {
    return `component ${i.component} in stack ${i.stack}`;
}
/** Provisions one instance's workdir. Throws AtmosError for bad config or unreadable sources. */
async function provisionWorkdir(instance, opts, ports) {
    const started = Date.now();
    const where = describeInstance(instance);
    const wd = paths_buildWorkdirPath(opts.basePath, instance.stack, instance.component);
    const spec = parseSourceSpec(instance.source && Object.keys(instance.source).length ? instance.source : undefined, where);
    // Validate everything that can be wrong with the config before taking a lock or touching disk.
    const ttlText = spec ? (spec.ttl ?? opts.defaultTtl) : undefined;
    const ttl = ttlText === undefined ? undefined : parseTtl(ttlText, `source.ttl of ${where}`);
    const resolved = spec ? resolveSourceUri(spec, where) : undefined;
    if (!spec) {
        const st = external_node_fs_default().statSync(instance.componentPath, { throwIfNoEntry: false });
        if (!st?.isDirectory()) {
            throw new util_errors/* AtmosError */.f7(`the component folder ${instance.componentPath} of ${where} does not exist`, { file: instance.componentPath });
        }
    }
    const preserveGlobs = opts.preserve ?? DEFAULT_PRESERVE;
    const preserve = preserveGlobs.length ? picomatch_default()(preserveGlobs, { dot: true }) : undefined;
    const regeneratedGlobs = opts.regenerated ?? DEFAULT_REGENERATED;
    const regenerated = regeneratedGlobs.length ? picomatch_default()(regeneratedGlobs, { dot: true }) : undefined;
    const lockKey = workdirLockKey(opts.basePath, instance.stack, instance.component);
    // A link on the way to the lock or the workdir would redirect our writes and deletes: refuse it first.
    await ensureStateDir(opts.basePath, external_node_path_default().dirname(lockKey), 'lock folder');
    guardStatePath(opts.basePath, wd, 'workdir');
    return withLock(lockKey, async () => {
        await opts.hooks?.onLocked?.();
        // Again under the lock: this is the check the writes below rely on.
        await ensureStateDir(opts.basePath, wd, 'workdir');
        await repairAtmosDir(wd, (m) => ports.log.warn(`workdir ${instance.stack}/${instance.component}: ${m}`));
        const sp = sentinelPath(wd);
        const existed = external_node_fs_default().existsSync(wd) && external_node_fs_default().readdirSync(wd).some((n) => n !== ATMOS_DIR);
        const complete = existed && sentinelExists(sp);
        const ip = inProgressPath(wd);
        const recovered = existed && !complete && external_node_fs_default().existsSync(ip);
        const prevRead = readMetadata(wd);
        if (prevRead.ok === false && prevRead.reason === 'invalid')
            ports.log.warn(`${prevRead.file}: unreadable workdir metadata (${prevRead.error}); rewriting it`);
        const prev = prevRead.ok ? prevRead.metadata : null;
        const now = ports.clock.now();
        let sync = null;
        let sourceDir;
        let identity;
        let tmp = null;
        const syncOpts = {
            manifest: complete ? readManifest(wd) : null,
            preserve,
            regenerated,
            beforeFirstChange: async () => {
                await clearSentinel(sp);
                await writeSentinel(ip, { stack: instance.stack, component: instance.component });
            },
            afterCopy: opts.hooks?.afterCopy,
        };
        try {
            const source = spec
                ? { kind: 'remote', uri: redactUri(spec.uri), version: spec.version ?? (resolved?.kind === 'git' ? resolved.ref : undefined), ttl }
                : { kind: 'local', path: instance.componentPath };
            const decision = decideProvision({ existed, complete, recovered, prev }, source, now);
            if (decision.kind === 'local') {
                sourceDir = instance.componentPath;
                sync = await syncTree(sourceDir, wd, syncOpts);
            }
            else if (decision.kind === 'remote-current') {
                sourceDir = null;
            }
            else {
                const { uri, version } = source;
                await ensureStateDir(opts.basePath, workdirTmpRoot(opts.basePath), 'scratch folder');
                tmp = workdirScratchPath(opts.basePath, process.pid, (0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex'));
                await external_node_fs_default().promises.mkdir(tmp);
                ports.log.info(`workdir ${instance.stack}/${instance.component}: fetching ${uri}${version ? ` at ${version}` : ''} (${decision.why})`);
                if (resolved.kind === 'git') {
                    const fetched = await fetchGitSource(resolved, tmp, { exec: ports.exec, env: ports.env ?? {}, timeoutMs: opts.gitTimeoutMs }, uri);
                    sourceDir = fetched.dir;
                    identity = fetched.identity;
                }
                else {
                    sourceDir = resolved.subdir ? external_node_path_default().join(resolved.dir, ...resolved.subdir.split('/')) : resolved.dir;
                    if (!external_node_fs_default().statSync(sourceDir, { throwIfNoEntry: false })?.isDirectory()) {
                        throw new util_errors/* AtmosError */.f7(`source ${uri} of ${where}: folder ${sourceDir} does not exist`, { file: sourceDir });
                    }
                }
                sync = await syncTree(sourceDir, wd, { ...syncOpts, include: sourceFilter(spec) });
            }
            const { action, reason } = describeOutcome(decision, source, sync);
            const lockFile = sourceDir ? await seedLockFile(sourceDir, wd, instance, prev?.lock_file_seed) : { action: 'kept', seed: prev?.lock_file_seed };
            if (sync?.manifestDirty)
                await writeManifest(wd, sync.manifest);
            const contentChanged = !existed || (sync !== null && sync.changed);
            const meta = {
                component: instance.component,
                stack: instance.stack,
                source_type: spec ? 'remote' : 'local',
                source: spec ? redactUri(spec.uri) : instance.componentPath,
                source_uri: spec ? redactUri(spec.uri) : undefined,
                source_version: spec ? (spec.version ?? (resolved?.kind === 'git' ? resolved.ref : undefined)) : undefined,
                source_resolved: resolved?.kind === 'git' ? redactUri(resolved.url) : undefined,
                source_identity: spec ? (sourceDir ? identity : prev?.source_identity) : undefined,
                created_at: prev?.created_at ?? timestamp(now),
                // Remote: a re-fetch restarts the TTL even when the content came back identical.
                updated_at: contentChanged || (spec && sourceDir) || !prev ? timestamp(now) : prev.updated_at,
                last_accessed: timestamp(now),
                content_hash: sync ? sync.manifest.content_hash || undefined : prev?.content_hash,
                lock_file_seed: lockFile.seed,
            };
            await writeMetadata(wd, meta);
            // Last step: from here on the workdir is trusted as complete.
            if (!sentinelExists(sp))
                await writeSentinel(sp, { stack: instance.stack, component: instance.component });
            await clearSentinel(ip);
            const remoteSubdir = spec ? external_node_path_default().join(wd, ...(safeSubdir(instance.baseComponent) ?? [])) : wd;
            const terraformDir = spec && remoteSubdir !== wd && external_node_fs_default().statSync(remoteSubdir, { throwIfNoEntry: false })?.isDirectory() ? remoteSubdir : wd;
            const result = {
                stack: instance.stack,
                component: instance.component,
                path: wd,
                terraformDir,
                action,
                reason,
                changed: contentChanged,
                sourceType: spec ? 'remote' : 'local',
                added: sync?.added ?? [],
                updated: sync?.updated ?? [],
                removed: sync?.removed ?? [],
                counts: {
                    added: sync?.added.length ?? 0,
                    updated: sync?.updated.length ?? 0,
                    removed: sync?.removed.length ?? 0,
                    unchanged: sync?.unchanged ?? 0,
                    hashed: sync?.hashed ?? 0,
                },
                lockFile: { action: lockFile.action, from: lockFile.seed?.file },
                recovered,
                metadata: meta,
                durationMs: Date.now() - started,
            };
            ports.log.info(`workdir ${instance.stack}/${instance.component}: ${reason}`);
            await opts.hooks?.beforeRelease?.(result);
            if (lockFile.action === 'seeded' || lockFile.action === 'reseeded') {
                ports.log.info(`workdir ${instance.stack}/${instance.component}: .terraform.lock.hcl ${lockFile.action} from ${lockFile.seed.file}`);
            }
            return result;
        }
        finally {
            if (tmp)
                await external_node_fs_default().promises.rm(tmp, { recursive: true, force: true }).catch(() => { });
        }
    }, {
        ...opts.lock,
        onWait: (owner) => {
            ports.log.info(`waiting for ${instance.stack}/${instance.component}, ` +
                (owner ? `held by pid ${owner.pid} on ${owner.host} since ${owner.since}` : 'held by another process'));
            opts.lock?.onWait?.(owner);
        },
    });
}
/** The base component as a sub-folder of a fetched source, when it is a safe relative path (§6.2). */
function safeSubdir(name) {
    try {
        return safe_path_safeRelativeSegments(name, 'base component');
    }
    catch {
        return null;
    }
}
/**
 * Provisions many instances, `parallelism` at a time. One failing never stops the others; the
 * caller reports failures (one message each) and decides the exit code. Refuses up front a selection in which two instances would share
 * a workdir.
 */
async function provisionWorkdirs(instances, opts, ports) {
    assertDistinctWorkdirs(instances);
    const nodes = instances.map((instance) => ({ key: `${instance.stack}\u0000${instance.component}`, value: instance }));
    const results = await schedule(nodes, (instance) => provisionWorkdir(instance, opts, ports), { parallelism: opts.parallelism ?? 4, failFast: false });
    return results.map((r, i) => (r.status === 'ok' ? { instance: instances[i], result: r.value } : { instance: instances[i], error: asError(r.status === 'failed' ? r.error : r.reason) }));
}
function asError(e) {
    return e instanceof Error ? e : new Error(String(e));
}

;// CONCATENATED MODULE: ./src/app/prepare-init.ts
/**
 * The one place that decides how parallel inits get their providers. Today: terraform's plugin
 * cache is not safe for concurrent inits (it unpacks in place), so under parallel runs a
 * TF_PLUGIN_CACHE_DIR from the environment is dropped (each instance installs into its own
 * `.terraform/`), and a CLI config that sets `plugin_cache_dir` (which the environment cannot undo)
 * makes inits run one at a time. This is the fallback: by default the provider store
 * (provider-store-init.ts) plugs in as another {@link PrepareInit} with a shared, verified mirror.
 */



/** The CLI config terraform reads: TF_CLI_CONFIG_FILE, else ~/.terraformrc. Its text, or '' when absent. */
function cliConfigText(env) {
    const file = env.TF_CLI_CONFIG_FILE || (env.HOME ? external_node_path_default().join(env.HOME, '.terraformrc') : '');
    if (!file)
        return { file, text: '' };
    try {
        return { file, text: external_node_fs_default().readFileSync(file, 'utf8') };
    }
    catch {
        return { file, text: '' };
    }
}
const pluginCachePolicy = async ({ parallel, env }) => {
    if (!parallel)
        return { env, serializeInits: false, notes: [] };
    const notes = [];
    const out = { ...env };
    if (out.TF_PLUGIN_CACHE_DIR !== undefined) {
        notes.push(`TF_PLUGIN_CACHE_DIR=${out.TF_PLUGIN_CACHE_DIR} is not passed to parallel terraform runs: terraform's plugin cache is not safe ` +
            'for concurrent inits, so each instance installs its providers into its own .terraform/ instead');
        delete out.TF_PLUGIN_CACHE_DIR;
        delete out.TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE;
    }
    const cli = cliConfigText(out);
    const serializeInits = cliConfigSetsPluginCache(cli.text);
    if (serializeInits) {
        notes.push(`the terraform CLI config ${cli.file} sets plugin_cache_dir, which is not safe for concurrent inits and cannot be switched off ` +
            'from outside: inits run one at a time (plan and apply still run in parallel)');
    }
    return { env: out, serializeInits, notes };
};
/** A gate letting one wrapped call run at a time, in arrival order. */
function oneAtATime() {
    let tail = Promise.resolve();
    return (fn) => {
        const run = tail.then(fn, fn);
        tail = run.catch(() => undefined);
        return run;
    };
}

;// CONCATENATED MODULE: ./src/providers/layout.ts
/**
 * Where provider packages live on disk, and the CI cache key of the provider store. Pure: no
 * filesystem access. Every path is built from parts validated here (and joined through safeJoin),
 * because provider addresses and versions come from lock files in the user's repository.
 *
 * Layouts are terraform's own (the same as its plugin cache and `filesystem_mirror`):
 *   unpacked  <base>/<host>/<namespace>/<type>/<version>/<os>_<arch>/
 *   packed    <base>/<host>/<namespace>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip
 */




// Terraform's rules: namespace and type are letters, digits and dashes (not leading or trailing),
// compared case-insensitively and written in lowercase. Hostnames are lowercase DNS names.
const PART = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/;
const layout_VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const PLATFORM = /^[a-z0-9]+_[a-z0-9]+$/;
/**
 * Parses a fully qualified provider source address `host/namespace/type`. With `normalised`
 * (the default), refuses addresses not already written in terraform's normal (lowercase) form, as
 * terraform does for lock files; otherwise lowercases them.
 */
function parseProviderAddress(source, opts = {}) {
    const parts = source.split('/');
    if (parts.length !== 3) {
        throw new util_errors/* AtmosError */.f7(`provider address ${JSON.stringify(source)} must be fully qualified: <hostname>/<namespace>/<type>`);
    }
    const lower = source.toLowerCase();
    if (opts.normalised !== false && lower !== source) {
        throw new util_errors/* AtmosError */.f7(`provider address ${JSON.stringify(source)} is not in normal form; write it as ${JSON.stringify(lower)}`);
    }
    const [host, namespace, type] = lower.split('/');
    if (!HOST.test(host))
        throw new util_errors/* AtmosError */.f7(`provider address ${JSON.stringify(source)}: ${JSON.stringify(host)} is not a valid hostname`);
    for (const [what, v] of [['namespace', namespace], ['type', type]]) {
        if (!PART.test(v)) {
            throw new util_errors/* AtmosError */.f7(`provider address ${JSON.stringify(source)}: the ${what} ${JSON.stringify(v)} must be letters, digits and dashes`);
        }
    }
    return { host, namespace, type };
}
function formatProviderAddress(a) {
    return `${a.host}/${a.namespace}/${a.type}`;
}
/** Refuses anything but an exact semantic version (what lock files record). */
function checkProviderVersion(version) {
    if (!layout_VERSION.test(version))
        throw new util_errors/* AtmosError */.f7(`provider version ${JSON.stringify(version)} is not an exact version such as "1.2.3"`);
    return version;
}
function checkPlatform(platform) {
    if (!PLATFORM.test(platform))
        throw new util_errors/* AtmosError */.f7(`platform ${JSON.stringify(platform)} is not of the form <os>_<arch>`);
    return platform;
}
/** Terraform's platform name (`linux_amd64`) for Node's `process.platform`/`process.arch`. */
function terraformPlatform(nodePlatform, nodeArch) {
    const os = nodePlatform === 'win32' ? 'windows' : nodePlatform;
    const arch = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' }[nodeArch] ?? nodeArch;
    return checkPlatform(`${os}_${arch}`);
}
function addressDir(base, a) {
    // Re-validate: a ProviderAddress may have been built by hand rather than parsed.
    const checked = parseProviderAddress(formatProviderAddress(a));
    return safe_path_safeJoin(base, formatProviderAddress(checked), 'provider address');
}
/** `<base>/<host>/<ns>/<type>/<version>/<os>_<arch>`: one unpacked package. */
function unpackedPackageDir(base, a, version, platform) {
    return external_node_path_default().join(addressDir(base, a), checkProviderVersion(version), checkPlatform(platform));
}
/** `<base>/<host>/<ns>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip`: one packed package. */
function packedPackageFile(base, a, version, platform) {
    return path.join(addressDir(base, a), `terraform-provider-${a.type}_${checkProviderVersion(version)}_${checkPlatform(platform)}.zip`);
}
const KEY_PART = /^[A-Za-z0-9._]+(?:-[A-Za-z0-9._]+)*$/;
/**
 * The key under which the store is saved to and restored from the CI cache. The hash covers the
 * lock files' contents in path order (sorted bytewise, so the key does not depend on how the
 * files were found): sha256 over the concatenated sha256 digests of each file, as GitHub's
 * `hashFiles` does. Paths themselves are not hashed: renaming an instance changes no provider.
 * Keys must not contain commas (the cache service splits on them) and stay far below its 512 limit.
 */
function storeCacheKey(input) {
    for (const [what, v] of [['prefix', input.prefix], ['os', input.os], ['arch', input.arch]]) {
        if (!KEY_PART.test(v) || v.length > 100) {
            throw new AtmosError(`provider cache ${what} ${JSON.stringify(v)} must be letters, digits, ".", "_" and single dashes (at most 100)`);
        }
    }
    if (input.tool !== 'terraform' && input.tool !== 'tofu')
        throw new AtmosError(`unknown tool ${JSON.stringify(input.tool)}`);
    const sorted = [...input.lockFiles].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    const all = createHash('sha256');
    for (const f of sorted)
        all.update(createHash('sha256').update(f.content).digest());
    const restorePrefix = `${input.prefix}-${input.tool}-${input.os}-${input.arch}-`;
    return { key: `${restorePrefix}${all.digest('hex')}`, restorePrefix };
}

;// CONCATENATED MODULE: ./src/providers/cli-config.ts
/**
 * The terraform CLI configuration each instance's init runs with: the provider store as a
 * `filesystem_mirror` for exactly the packages it holds, then the user's own installation methods
 * (or `direct`) for everything else, each told to `exclude` what the store serves. Terraform asks
 * every matching method for a provider's versions even when the lock file pins one, so the
 * exclusions are what keeps a registry or mirror from being contacted for stored providers.
 * Pure: returns text; writing it and pointing TF_CLI_CONFIG_FILE at it is the caller's job, as is
 * making sure no plugin cache (plugin_cache_dir, TF_PLUGIN_CACHE_DIR) is in effect.
 */


/**
 * A quoted string for terraform's CLI configuration, which is read with HCL version 1 (not the
 * HCL 2 of .tf files): backslash escapes for quotes, backslashes and control characters, and no
 * template escapes. HCL 1 keeps `${...}` verbatim but lets it swallow quotes, and has no way to
 * write a literal `${`, so such text is refused rather than written wrong.
 */
function cliConfigString(s, what) {
    if (s.includes('${'))
        throw new util_errors/* AtmosError */.f7(`${what} ${JSON.stringify(s)} contains "\${", which a terraform CLI configuration cannot hold`);
    let out = '"';
    for (const c of s) {
        const code = c.charCodeAt(0);
        if (c === '"' || c === '\\')
            out += `\\${c}`;
        else if (c === '\n')
            out += '\\n';
        else if (c === '\r')
            out += '\\r';
        else if (c === '\t')
            out += '\\t';
        else if (code < 0x20 || code === 0x7f)
            out += `\\u${code.toString(16).padStart(4, '0')}`;
        else
            out += c;
    }
    return `${out}"`;
}
const list = (items, what) => `[${items.map((i) => cliConfigString(i, what)).join(', ')}]`;
function methodBlock(m, alsoExclude) {
    const lines = [`  ${m.kind} {`];
    if (m.kind === 'filesystem_mirror')
        lines.push(`    path    = ${cliConfigString(m.path, 'filesystem_mirror path')}`);
    if (m.kind === 'network_mirror')
        lines.push(`    url     = ${cliConfigString(m.url, 'network_mirror url')}`);
    if (m.include?.length)
        lines.push(`    include = ${list(m.include, 'include pattern')}`);
    const exclude = [...new Set([...(m.exclude ?? []), ...alsoExclude])];
    if (exclude.length)
        lines.push(`    exclude = ${list(exclude, 'exclude pattern')}`);
    lines.push('  }');
    return lines.join('\n');
}
function storeCliConfig(input) {
    if (!input.store.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(input.store)) {
        throw new util_errors/* AtmosError */.f7(`the provider store path must be absolute: ${JSON.stringify(input.store)}`);
    }
    const stored = [...new Set(input.stored.map(formatProviderAddress))].sort();
    const methods = input.methods ?? [{ kind: 'direct' }];
    if (methods.length === 0 && stored.length === 0)
        throw new util_errors/* AtmosError */.f7('no provider installation method left: every init would fail');
    const blocks = [];
    if (stored.length > 0) {
        blocks.push(['  filesystem_mirror {', `    path    = ${cliConfigString(input.store, 'provider store path')}`, `    include = ${list(stored, 'provider')}`, '  }'].join('\n'));
    }
    for (const m of methods)
        blocks.push(methodBlock(m, stored));
    const parts = ['# Generated by atmos-action: the provider store first, then your own installation methods.'];
    if (input.extra?.trim())
        parts.push(input.extra.trim());
    parts.push(`provider_installation {\n${blocks.join('\n')}\n}`);
    return `${parts.join('\n\n')}\n`;
}

;// CONCATENATED MODULE: ./src/providers/hash.ts
/**
 * The two package hashes terraform records in `.terraform.lock.hcl`:
 * - `h1:` (Go's golang.org/x/mod/sumdb/dirhash Hash1) over a package's contents. It verifies an
 *   unpacked directory, which is what the provider store holds, so it is the one the store checks.
 * - `zh:` the SHA-256 of a release zip. It can only verify a zip, never an unpacked directory.
 */





/**
 * Hash1 from per-file digests: SHA-256 over the lines `"<sha256 hex>  <path>\n"` sorted by path
 * (bytewise, as Go's sort.Strings), base64 with padding, prefixed `h1:`.
 */
function h1FromFiles(files) {
    const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path, 'utf8'), Buffer.from(b.path, 'utf8')));
    const summary = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    for (const f of sorted) {
        // Go's dirhash refuses these too: they would make the summary ambiguous.
        if (f.path.includes('\n'))
            throw new util_errors/* AtmosError */.f7(`cannot hash a file name containing a newline: ${JSON.stringify(f.path)}`);
        summary.update(`${f.sha256}  ${f.path}\n`);
    }
    return `h1:${summary.digest('base64')}`;
}
async function listFiles(root, rel, out) {
    const entries = await external_node_fs_default().promises.readdir(external_node_path_default().join(root, rel), { withFileTypes: true });
    for (const e of entries) {
        const relPath = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory())
            await listFiles(root, relPath, out);
        else if (e.isFile())
            out.push(relPath);
        else {
            // Store entries are unpacked by us from zips, which hold regular files only; anything else
            // (a symlink pointing elsewhere, a socket) means the entry is not what we installed.
            throw new util_errors/* AtmosError */.f7(`${external_node_path_default().join(root, relPath)} is not a regular file; a provider package holds regular files only`, {
                file: external_node_path_default().join(root, relPath),
            });
        }
    }
}
/**
 * The `h1:` hash of an unpacked provider package directory. The directory itself may be reached
 * through a symlink (terraform links `.terraform/providers/...` to its source), as terraform
 * resolves it before hashing; entries inside it must be regular files or directories.
 */
async function h1HashOfDirectory(dir) {
    let root;
    try {
        root = await external_node_fs_default().promises.realpath(dir);
        if (!(await external_node_fs_default().promises.stat(root)).isDirectory())
            throw new Error('not a directory');
    }
    catch (e) {
        throw new util_errors/* AtmosError */.f7(`cannot hash provider package ${dir}: ${e.message}`, { file: dir, cause: e });
    }
    const rels = [];
    await listFiles(root, '', rels);
    const files = await Promise.all(rels.map(async (rel) => ({ path: rel, sha256: await hash_sha256File(external_node_path_default().join(root, ...rel.split('/'))) })));
    return h1FromFiles(files);
}
/** The `zh:` hash of a packed provider release (the zip file's SHA-256, hex). */
async function zhHashOfZip(zipFile) {
    return `zh:${await sha256File(zipFile)}`;
}

;// CONCATENATED MODULE: ./src/providers/entry.ts
/**
 * One package in the provider store: where it lives, how a reader checks it without a lock, and
 * how a writer publishes it. A package is trusted only with its sentinel (`verified/…/<platform>.json`),
 * written after the package was hashed by our own code and renamed into place. The sentinel records
 * the verified `h1:` and a stat fingerprint (relative path, size, mtime of every file), so the
 * lock-free hit path costs a few `stat` calls; any change to a file changes the fingerprint and
 * sends the reader to the locked path, which re-hashes, and removes the entry if it no longer matches.
 */








function storeEntry(root, address, version, platform) {
    const p = providerStorePaths(root);
    const dir = unpackedPackageDir(p.packages, address, version, platform);
    // Same validated parts as the package path, so nothing from a lock file can leave these folders.
    const rel = external_node_path_default().relative(p.packages, dir);
    return {
        address,
        version: checkProviderVersion(version),
        platform,
        dir,
        sentinel: `${safe_path_safeJoin(p.verified, rel, 'store entry')}.json`,
        lockKey: safe_path_safeJoin(p.locks, rel, 'store entry'),
    };
}
function entryName(e) {
    return `${formatProviderAddress(e.address)} ${e.version} (${e.platform})`;
}
/** Relative path, size and mtime of every file below `dir`, sorted: changes whenever a file is rewritten. */
async function statFingerprint(dir) {
    const rows = [];
    const walk = async (abs, rel) => {
        for (const d of await external_node_fs_default().promises.readdir(abs, { withFileTypes: true })) {
            const a = external_node_path_default().join(abs, d.name);
            const r = rel ? `${rel}/${d.name}` : d.name;
            if (d.isDirectory())
                await walk(a, r);
            else {
                const st = await external_node_fs_default().promises.lstat(a);
                rows.push(`${r}\0${st.isSymbolicLink() ? 'l' : 'f'}\0${st.size}\0${Math.round(st.mtimeMs)}\0${st.mode & 0o777}`);
            }
        }
    };
    await walk(dir, '');
    return rows.sort().join('\n');
}
function readSentinel(file) {
    try {
        const s = JSON.parse(external_node_fs_default().readFileSync(file, 'utf8'));
        return typeof s.h1 === 'string' && typeof s.fingerprint === 'string' ? s : null;
    }
    catch {
        return null;
    }
}
/** The lock-free check: sentinel present, its `h1:` is one the lock file accepts, and no file changed since. */
async function cheapHit(e, acceptable) {
    const s = readSentinel(e.sentinel);
    if (!s || !acceptable.has(s.h1))
        return false;
    try {
        return (await statFingerprint(e.dir)) === s.fingerprint;
    }
    catch {
        return false;
    }
}
/** Full check (under the entry's lock): hashes the package; returns its `h1:` when the lock file accepts it. */
async function verifiedHash(dir, acceptable) {
    try {
        const h1 = await h1HashOfDirectory(dir);
        return acceptable.has(h1) ? h1 : null;
    }
    catch {
        return null;
    }
}
async function recordVerified(e, h1) {
    await writeSentinel(e.sentinel, { h1, fingerprint: await statFingerprint(e.dir) });
}
/** A fresh scratch folder inside the store (same filesystem as the packages). */
async function scratchDir(root, what) {
    const tmp = providerStorePaths(root).tmp;
    await external_node_fs_default().promises.mkdir(tmp, { recursive: true });
    return external_node_fs_default().promises.mkdtemp(external_node_path_default().join(tmp, `${what}-${(0,external_node_crypto_namespaceObject.randomBytes)(3).toString('hex')}-`));
}
/** Moves a bad or half-written entry out of the way (one rename), then deletes it; its sentinel first. */
async function discardEntry(root, e) {
    await external_node_fs_default().promises.rm(e.sentinel, { force: true });
    if (!external_node_fs_default().existsSync(e.dir))
        return;
    const trash = await scratchDir(root, 'trash');
    await external_node_fs_default().promises.rename(e.dir, external_node_path_default().join(trash, 'pkg'));
    await external_node_fs_default().promises.rm(trash, { recursive: true, force: true });
}
/**
 * Publishes a verified package by renaming it into place. Renaming onto an existing, non-empty
 * directory fails, so a verified entry is never overwritten (callers hold the entry's lock and
 * discarded any bad entry first).
 */
async function publishEntry(e, from, h1) {
    await external_node_fs_default().promises.mkdir(external_node_path_default().dirname(e.dir), { recursive: true });
    await external_node_fs_default().promises.rename(from, e.dir);
    await recordVerified(e, h1);
}
/**
 * Removes scratch folders older than `maxAgeMs` (left by a killed install; a live one is younger,
 * since an install never takes that long). Best effort: a folder another process removes first is fine.
 */
async function sweepScratch(root, maxAgeMs, now = Date.now()) {
    const tmp = providerStorePaths(root).tmp;
    let removed = 0;
    let names;
    try {
        names = await external_node_fs_default().promises.readdir(tmp);
    }
    catch {
        return 0;
    }
    for (const name of names) {
        const p = external_node_path_default().join(tmp, name);
        try {
            if (now - (await external_node_fs_default().promises.lstat(p)).mtimeMs < maxAgeMs)
                continue;
            await external_node_fs_default().promises.rm(p, { recursive: true, force: true });
            removed++;
        }
        catch {
            // gone already
        }
    }
    return removed;
}

;// CONCATENATED MODULE: ./src/providers/lockfile.ts
/**
 * A strict reader of terraform's dependency lock file (`.terraform.lock.hcl`). It understands
 * exactly what terraform writes, plus what HCL allows a person to add by hand (comments `#`, `//`
 * and block comments, trailing commas, blank lines, one-line blocks), and refuses anything else
 * with `file:line`: guessing at a lock file would let the provider store trust the wrong package.
 *
 *   provider "registry.terraform.io/hashicorp/aws" {
 *     version     = "6.2.0"
 *     constraints = "~> 6.0"
 *     hashes = [
 *       "h1:...",
 *       "zh:...",
 *     ]
 *   }
 */



class LockFileError extends util_errors/* AtmosError */.f7 {
    constructor(file, line, message) {
        super(`${file}:${line}: ${message}`, { file, line });
        this.name = 'LockFileError';
    }
}
function describe(t) {
    if (t.kind === 'eof')
        return 'the end of the file';
    if (t.kind === 'newline')
        return 'a line break';
    return t.kind === 'string' ? `the string ${JSON.stringify(t.text)}` : JSON.stringify(t.text);
}
// ─── lexer ─────────────────────────────────────────────────────────────────────────────────────
const ESCAPES = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
function tokenize(text, file) {
    const tokens = [];
    let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let line = 1;
    const fail = (msg) => {
        throw new LockFileError(file, line, msg);
    };
    while (i < text.length) {
        const c = text[i];
        if (c === ' ' || c === '\t' || c === '\r')
            i++;
        else if (c === '\n') {
            tokens.push({ kind: 'newline', text: '\n', line });
            line++;
            i++;
        }
        else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
            while (i < text.length && text[i] !== '\n')
                i++;
        }
        else if (c === '/' && text[i + 1] === '*') {
            const end = text.indexOf('*/', i + 2);
            if (end < 0)
                fail('unterminated /* comment');
            for (let k = i; k < end; k++)
                if (text[k] === '\n')
                    line++;
            i = end + 2;
        }
        else if ('{}[]=,'.includes(c)) {
            tokens.push({ kind: c, text: c, line });
            i++;
        }
        else if (/[A-Za-z_]/.test(c)) {
            const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 256));
            tokens.push({ kind: 'ident', text: m[0], line });
            i += m[0].length;
        }
        else if (c === '"') {
            let value = '';
            i++;
            for (;;) {
                const d = text[i];
                if (d === undefined || d === '\n')
                    fail('unterminated string');
                if (d === '"')
                    break;
                if (d === '\\') {
                    const e = text[i + 1] ?? '';
                    if (e in ESCAPES) {
                        value += ESCAPES[e];
                        i += 2;
                    }
                    else if (e === 'u' || e === 'U') {
                        const len = e === 'u' ? 4 : 8;
                        const hex = text.slice(i + 2, i + 2 + len);
                        const cp = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === len ? parseInt(hex, 16) : NaN;
                        if (!(cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff))
                            fail(`invalid escape \\${e}${hex}`);
                        value += String.fromCodePoint(cp);
                        i += 2 + len;
                    }
                    else
                        fail(`unsupported escape \\${e} in a string`);
                }
                else if ((d === '$' || d === '%') && text[i + 1] === '{') {
                    fail(`template sequence ${d}{ in a string: a lock file holds literal strings only`);
                }
                else if ((d === '$' || d === '%') && text[i + 1] === d && text[i + 2] === '{') {
                    value += `${d}{`; // $${ and %%{ are HCL's escapes for a literal ${ and %{
                    i += 3;
                }
                else {
                    value += d;
                    i++;
                }
            }
            tokens.push({ kind: 'string', text: value, line });
            i++;
        }
        else {
            fail(`unexpected ${JSON.stringify(c)}; a lock file holds only provider blocks of quoted strings and lists of them`);
        }
    }
    tokens.push({ kind: 'eof', text: '', line });
    return tokens;
}
// ─── parser ────────────────────────────────────────────────────────────────────────────────────
const H1 = /^h1:[A-Za-z0-9+/]{43}=$/;
const ZH = /^zh:[0-9a-f]{64}$/;
const OTHER_SCHEME = /^[a-z][a-z0-9]*:\S+$/;
function checkHash(h, file, line) {
    if (h.startsWith('h1:') ? H1.test(h) : h.startsWith('zh:') ? ZH.test(h) : OTHER_SCHEME.test(h))
        return h;
    throw new LockFileError(file, line, `${JSON.stringify(h)} is not a package hash ("h1:<base64>" or "zh:<hex>")`);
}
/** Parses the text of a `.terraform.lock.hcl`; `file` names it in errors. */
function parseLockFile(text, file) {
    const tokens = tokenize(text, file);
    let pos = 0;
    const peek = () => tokens[pos];
    const next = () => tokens[pos++];
    const fail = (t, msg) => {
        throw new LockFileError(file, t.line, msg);
    };
    const expect = (kind, what) => {
        const t = next();
        return t.kind === kind ? t : fail(t, `expected ${what}, found ${describe(t)}`);
    };
    const skipNewlines = () => {
        while (peek().kind === 'newline')
            pos++;
    };
    const providers = [];
    const seen = new Map();
    for (skipNewlines(); peek().kind !== 'eof'; skipNewlines()) {
        const head = next();
        if (head.kind !== 'ident' || head.text !== 'provider') {
            fail(head, `expected a provider block, found ${describe(head)} (this reader knows only provider blocks)`);
        }
        const label = expect('string', 'the provider address in quotes');
        let address;
        try {
            address = parseProviderAddress(label.text);
        }
        catch (e) {
            return fail(label, e.message);
        }
        const source = formatProviderAddress(address);
        if (seen.has(source))
            fail(label, `provider ${JSON.stringify(source)} is locked twice (first at line ${seen.get(source)})`);
        seen.set(source, head.line);
        expect('{', '"{"');
        const attrs = new Map();
        for (skipNewlines(); peek().kind !== '}'; skipNewlines()) {
            const name = expect('ident', 'an attribute name or "}"');
            if (!['version', 'constraints', 'hashes'].includes(name.text)) {
                fail(name, `unknown attribute ${JSON.stringify(name.text)} in a provider block (known: version, constraints, hashes)`);
            }
            if (attrs.has(name.text))
                fail(name, `${name.text} is set twice in this provider block`);
            expect('=', `"=" after ${name.text}`);
            let value;
            if (name.text === 'hashes') {
                expect('[', 'a list of hashes in [...]');
                value = [];
                for (skipNewlines(); peek().kind !== ']'; skipNewlines()) {
                    const h = expect('string', 'a quoted hash or "]"');
                    value.push(checkHash(h.text, file, h.line));
                    skipNewlines();
                    if (peek().kind !== ']')
                        expect(',', '"," or "]" after a hash');
                }
                next();
            }
            else {
                value = expect('string', `a quoted string for ${name.text}`).text;
            }
            attrs.set(name.text, { value, line: name.line });
            const end = peek();
            if (end.kind !== 'newline' && end.kind !== '}')
                fail(end, `expected a line break after ${name.text}, found ${describe(end)}`);
        }
        next(); // }
        const after = peek();
        if (after.kind !== 'newline' && after.kind !== 'eof')
            fail(after, `expected a line break after the provider block, found ${describe(after)}`);
        const version = attrs.get('version');
        if (!version)
            fail(head, `provider ${JSON.stringify(source)} has no version`);
        try {
            checkProviderVersion(version.value);
        }
        catch (e) {
            throw new LockFileError(file, version.line, e.message);
        }
        const constraints = attrs.get('constraints')?.value;
        providers.push({
            address,
            source,
            version: version.value,
            ...(constraints === undefined ? {} : { constraints }),
            hashes: attrs.get('hashes')?.value ?? [],
            line: head.line,
        });
    }
    return providers;
}
/** Reads and parses a lock file; a missing file is an error (the caller decides if it may be absent). */
async function readLockFile(file) {
    let text;
    try {
        text = await external_node_fs_default().promises.readFile(file, 'utf8');
    }
    catch (e) {
        throw new util_errors/* AtmosError */.f7(`cannot read the lock file ${file}: ${e.message}`, { file, cause: e });
    }
    return parseLockFile(text, file);
}

;// CONCATENATED MODULE: ./src/providers/install.ts
/**
 * Installing one package the way the user's terraform would: a scratch root module that requires
 * exactly that provider and version, its lock file holding exactly the locked hashes, and
 * `terraform init -backend=false` with the user's own CLI configuration (mirrors, credentials,
 * network) minus any plugin cache. Whatever source the user has keeps working, and terraform checks
 * the package against the lock file too. The caller verifies the result again with our own hash.
 */




/** Variables that would make the scratch init write elsewhere, use a shared cache, or run other commands. */
const SCRATCH_DROPPED = /^(TF_PLUGIN_CACHE_DIR|TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE|TF_DATA_DIR|TF_CLI_ARGS(_.*)?|TF_WORKSPACE)$/;
function hclString(s) {
    if (/[$%]\{/.test(s))
        throw new util_errors/* AtmosError */.f7(`${JSON.stringify(s)} cannot be written into a scratch module`);
    return JSON.stringify(s);
}
/** The lock-file block terraform writes, for exactly one provider. */
function lockBlock(p) {
    return [
        `provider ${hclString(p.source)} {`,
        `  version = ${hclString(p.version)}`,
        '  hashes = [',
        ...p.hashes.map((h) => `    ${hclString(h)},`),
        '  ]',
        '}',
        '',
    ].join('\n');
}
function scratchModule(p) {
    return `terraform {\n  required_providers {\n    p = { source = ${hclString(p.source)}, version = ${hclString(`= ${p.version}`)} }\n  }\n}\n`;
}
/**
 * Runs the scratch init in `scratch` (an empty folder on the store's filesystem) and returns the
 * installed package folder (a symlink target when terraform linked from an unpacked mirror).
 */
async function installWithTerraform(t, p, platform, scratch) {
    external_node_fs_default().writeFileSync(external_node_path_default().join(scratch, 'main.tf'), scratchModule(p));
    external_node_fs_default().writeFileSync(external_node_path_default().join(scratch, '.terraform.lock.hcl'), lockBlock(p));
    const env = {};
    for (const [k, v] of Object.entries(t.env))
        if (!SCRATCH_DROPPED.test(k))
            env[k] = v;
    if (t.cliConfigFile)
        env.TF_CLI_CONFIG_FILE = t.cliConfigFile;
    env.TF_IN_AUTOMATION = '1';
    env.TF_INPUT = '0';
    let r;
    try {
        r = await t.exec.run(t.command, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: scratch, env });
    }
    catch (e) {
        throw new util_errors/* AtmosError */.f7(`cannot run ${t.command} to install ${formatProviderAddress(p.address)} ${p.version}: ${e.message}`, { cause: e });
    }
    if (r.code !== 0) {
        const why = (r.stderr + r.stdout).split('\n').filter((l) => l.trim()).slice(-6).join(' / ');
        throw new util_errors/* AtmosError */.f7(`installing ${formatProviderAddress(p.address)} ${p.version} with ${t.command} failed: ${why}`, { kind: 'instance' });
    }
    const installed = unpackedPackageDir(external_node_path_default().join(scratch, '.terraform', 'providers'), p.address, p.version, platform);
    if (!external_node_fs_default().existsSync(installed)) {
        throw new util_errors/* AtmosError */.f7(`${t.command} init reported success but installed no ${platform} package of ${formatProviderAddress(p.address)} ${p.version}`, { kind: 'instance' });
    }
    return installed;
}

;// CONCATENATED MODULE: ./src/providers/store.ts
/**
 * The provider store: makes sure it holds every (provider, version, platform) that the given lock
 * files name, each installed once per machine. The hit path takes no lock (sentinel + stat
 * fingerprint, see entry.ts); a miss takes the package's own lock, checks again (another process may
 * have installed it meanwhile), then fills it from a seed (the user's plugin cache, read only, or a
 * workdir's own `.terraform/providers` when harvesting) or by asking terraform to install it in a
 * scratch folder. Every source is hashed by our own code against the lock file before it is
 * renamed into place; a corrupted entry is removed and reinstalled, never used.
 */







const emptyStats = () => ({ hits: 0, rehashed: 0, installs: 0, seeded: 0, harvested: 0, corrupted: 0, extractions: 0 });
function addStats(into, s) {
    for (const k of Object.keys(into))
        into[k] += s[k];
    return into;
}
/** The `h1:` hashes a lock file accepts. Without one, no unpacked package can be verified (a lock file made on another OS). */
const h1Set = (p) => new Set(p.hashes.filter((h) => h.startsWith('h1:')));
async function copyVerified(seedDir, root, acceptable) {
    if (!external_node_fs_default().existsSync(seedDir) || !(await verifiedHash(seedDir, acceptable)))
        return null;
    const scratch = await scratchDir(root, 'seed');
    const dir = external_node_path_default().join(scratch, 'pkg');
    // Copy, never move: the seed belongs to the user (or to a workdir) and may be in use.
    await external_node_fs_default().promises.cp(await external_node_fs_default().promises.realpath(seedDir), dir, { recursive: true, preserveTimestamps: true });
    // The seed may have changed while we copied (a terraform writing its own cache): check the copy.
    const h1 = await verifiedHash(dir, acceptable);
    if (h1)
        return { dir, h1 };
    await external_node_fs_default().promises.rm(scratch, { recursive: true, force: true });
    return null;
}
async function fill(e, p, o, acceptable) {
    for (const seed of o.seeds ?? []) {
        const got = await copyVerified(unpackedPackageDir(seed, p.address, p.version, o.platform), o.root, acceptable);
        if (got) {
            await publishEntry(e, got.dir, got.h1);
            await external_node_fs_default().promises.rm(external_node_path_default().dirname(got.dir), { recursive: true, force: true });
            return o.seedKind ?? 'seeded';
        }
    }
    if (!o.installer)
        return 'missing';
    const scratch = await scratchDir(o.root, 'install');
    try {
        const installed = await installWithTerraform(o.installer, p, o.platform, scratch);
        const real = await external_node_fs_default().promises.realpath(installed);
        let dir = installed;
        if (real !== installed) {
            // Linked from the user's unpacked mirror: copy it, the mirror is not ours to move.
            dir = external_node_path_default().join(scratch, 'pkg');
            await external_node_fs_default().promises.cp(real, dir, { recursive: true, preserveTimestamps: true });
        }
        const h1 = await verifiedHash(dir, acceptable);
        if (!h1) {
            throw new util_errors/* AtmosError */.f7(`${entryName(e)}: the package terraform installed does not match any h1: hash in the lock file (line ${p.line}); not stored`, { kind: 'instance' });
        }
        await publishEntry(e, dir, h1);
        return 'installed';
    }
    finally {
        await external_node_fs_default().promises.rm(scratch, { recursive: true, force: true });
    }
}
/** Makes one package present and verified in the store; see the file comment. */
async function ensurePackage(p, o) {
    const acceptable = h1Set(p);
    if (acceptable.size === 0)
        return { outcome: 'unverifiable', corrupted: false };
    const e = storeEntry(o.root, p.address, p.version, o.platform);
    if (await cheapHit(e, acceptable))
        return { outcome: 'hit', corrupted: false };
    return withLock(e.lockKey, async () => {
        if (await cheapHit(e, acceptable))
            return { outcome: 'hit', corrupted: false };
        let corrupted = false;
        if (external_node_fs_default().existsSync(e.dir)) {
            const h1 = await verifiedHash(e.dir, acceptable);
            if (h1) {
                await recordVerified(e, h1);
                return { outcome: 'rehashed', corrupted };
            }
            o.log.warn(`provider store: ${entryName(e)} does not match the lock file's h1: hashes (corrupted or partial); removing and reinstalling it`);
            corrupted = true;
        }
        // Also clears a sentinel left without its package (an interrupted removal).
        await discardEntry(o.root, e);
        return { outcome: await fill(e, p, o, acceptable), corrupted };
    }, { ...o.lock, onWait: () => o.log.debug(`provider store: waiting for another process installing ${entryName(e)}`) });
}
/** One entry per (address, version), all hashes any lock file accepts for it merged. */
function lockedPackages(lockFiles) {
    const byKey = new Map();
    for (const p of lockFiles.flat()) {
        const k = `${p.source} ${p.version}`;
        const prev = byKey.get(k);
        if (prev)
            byKey.set(k, { ...prev, hashes: [...new Set([...prev.hashes, ...p.hashes])] });
        else
            byKey.set(k, p);
    }
    return [...byKey.values()].sort((a, b) => (a.source + a.version < b.source + b.version ? -1 : 1));
}
/**
 * Ensures every package; a package that cannot be stored is reported (and left to the user's own
 * installation methods), never fatal. Packages are handled one after another: installs are network
 * or disk bound, and different processes still fill different packages at the same time.
 */
async function ensureStore(packages, o) {
    const stats = emptyStats();
    const outcomes = [];
    for (const p of packages) {
        try {
            const { outcome, corrupted } = await ensurePackage(p, o);
            outcomes.push({ provider: p, outcome });
            if (corrupted)
                stats.corrupted++;
            if (outcome === 'hit')
                stats.hits++;
            else if (outcome === 'rehashed')
                stats.rehashed++;
            else if (outcome === 'installed')
                stats.installs++;
            else if (outcome === 'seeded')
                stats.seeded++;
            else if (outcome === 'harvested')
                stats.harvested++;
        }
        catch (err) {
            outcomes.push({ provider: p, outcome: 'failed', error: err.message });
            o.log.warn(`provider store: ${formatProviderAddress(p.address)} ${p.version}: ${err.message}`);
        }
    }
    stats.extractions = stats.installs + stats.seeded + stats.harvested;
    return { stats, outcomes };
}

;// CONCATENATED MODULE: ./src/providers/user-cli-config.ts
/**
 * Reads the user's own terraform CLI configuration just far enough to build the store's config on
 * top of it: the `provider_installation` methods (kept in order, each later told to exclude what
 * the store serves), `plugin_cache_dir` (taken out: parallel inits must never write to it; it only
 * seeds the store), and everything else kept verbatim (credentials, hosts, checkpoint settings).
 *
 * Strict: a construct it does not understand inside `provider_installation` (e.g. `dev_overrides`)
 * or a JSON config is refused, and the caller then leaves the store off rather than change what
 * the user's config means. Pure.
 */

/** Offsets of top-level statements, skipping strings and comments; each span covers one statement. */
function topLevelStatements(text) {
    const spans = [];
    let depth = 0;
    let start = -1;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '#' || (c === '/' && text[i + 1] === '/')) {
            while (i < text.length && text[i] !== '\n')
                i++;
        }
        else if (c === '/' && text[i + 1] === '*') {
            const end = text.indexOf('*/', i + 2);
            if (end < 0)
                throw new util_errors/* AtmosError */.f7('unterminated comment');
            i = end + 1;
            continue;
        }
        else if (c === '"') {
            if (start < 0)
                start = i;
            for (i++; i < text.length && text[i] !== '"'; i++)
                if (text[i] === '\\')
                    i++;
            if (i >= text.length)
                throw new util_errors/* AtmosError */.f7('unterminated string');
            continue;
        }
        else if (c === '{' || c === '[') {
            if (start < 0)
                start = i;
            depth++;
            continue;
        }
        else if (c === '}' || c === ']') {
            depth--;
            if (depth < 0)
                throw new util_errors/* AtmosError */.f7(`unbalanced "${c}"`);
            continue;
        }
        if (text[i] === '\n' || i === text.length - 1) {
            if (depth === 0 && start >= 0) {
                spans.push({ start, end: i + 1 });
                start = -1;
            }
        }
        else if (start < 0 && !/\s/.test(text[i]))
            start = i;
    }
    if (depth !== 0)
        throw new util_errors/* AtmosError */.f7('unbalanced braces');
    if (start >= 0)
        spans.push({ start, end: text.length });
    return spans;
}
function unquote(s) {
    return JSON.parse(s.replace(/\t/g, '\\t'));
}
const STRING = String.raw `"(?:[^"\\]|\\.)*"`;
const ATTR = new RegExp(String.raw `^\s*(path|url)\s*=\s*(${STRING})\s*$`);
const LIST = new RegExp(String.raw `^\s*(include|exclude)\s*=\s*\[((?:\s*${STRING}\s*,?)*)\s*\]\s*$`);
function parseMethods(body) {
    const methods = [];
    const noComments = body.replace(/^\s*(#|\/\/).*$/gm, '');
    const block = /(direct|filesystem_mirror|network_mirror)\s*\{([^{}]*)\}/gy;
    let rest = noComments;
    for (;;) {
        rest = rest.replace(/^\s+/, '');
        if (rest === '')
            break;
        block.lastIndex = 0;
        const m = block.exec(rest);
        if (!m)
            throw new util_errors/* AtmosError */.f7(`provider_installation: cannot read ${JSON.stringify(rest.slice(0, 40))}`);
        const [, kind, inner] = m;
        const method = { kind };
        for (const line of inner.split('\n').map((l) => l.trim()).filter(Boolean)) {
            const a = ATTR.exec(line);
            const l = LIST.exec(line);
            if (a)
                method[a[1]] = unquote(a[2]);
            else if (l)
                method[l[1]] = [...l[2].matchAll(new RegExp(STRING, 'g'))].map((s) => unquote(s[0]));
            else
                throw new util_errors/* AtmosError */.f7(`provider_installation ${kind}: cannot read ${JSON.stringify(line)}`);
        }
        if ((kind === 'filesystem_mirror' && typeof method.path !== 'string') || (kind === 'network_mirror' && typeof method.url !== 'string')) {
            throw new util_errors/* AtmosError */.f7(`provider_installation ${kind}: missing ${kind === 'filesystem_mirror' ? 'path' : 'url'}`);
        }
        methods.push(method);
        rest = rest.slice(m[0].length);
    }
    return methods;
}
/** Throws AtmosError (naming `file`) for what it cannot read faithfully. */
function parseUserCliConfig(text, file) {
    if (file.endsWith('.json'))
        throw new util_errors/* AtmosError */.f7(`${file}: JSON CLI configurations are not read by the provider store`);
    try {
        const out = { extra: '' };
        const kept = [];
        for (const s of topLevelStatements(text)) {
            const stmt = text.slice(s.start, s.end);
            const pi = /^provider_installation\s*\{([\s\S]*)\}\s*$/.exec(stmt.trim());
            const pc = new RegExp(String.raw `^plugin_cache_dir\s*=\s*(${STRING})\s*$`).exec(stmt.trim());
            if (pi) {
                if (out.methods)
                    throw new util_errors/* AtmosError */.f7('provider_installation given twice');
                out.methods = parseMethods(pi[1]);
            }
            else if (pc)
                out.pluginCacheDir = unquote(pc[1]);
            else if (/^plugin_cache_(dir|may_break)/.test(stmt.trim())) {
                if (/^plugin_cache_dir/.test(stmt.trim()))
                    throw new util_errors/* AtmosError */.f7('plugin_cache_dir must be a plain string');
            }
            else
                kept.push(text.slice(s.start, s.end).trimEnd());
        }
        out.extra = kept.length ? `${kept.join('\n')}\n` : '';
        return out;
    }
    catch (e) {
        throw new util_errors/* AtmosError */.f7(`${file}: ${e.message}`, { file, cause: e });
    }
}

;// CONCATENATED MODULE: ./src/providers/prepare.ts
/**
 * The hook a runner calls once before its inits: fill the provider store for the selected
 * instances' lock files, write ONE generated CLI configuration (the store as a `filesystem_mirror`
 * for what it holds, the user's own installation methods for the rest, no plugin cache), and say
 * which environment each instance's terraform runs in. Inits then only link into the store, and
 * every instance's lock file stays byte-identical.
 *
 * Instances without a lock file cannot be known in advance: `aroundInit` runs their inits one at a
 * time (a store-wide lock) with a config that offers the store first without excluding anything,
 * then harvests what they installed into the store; the user is told to commit lock files.
 */













/** Scratch folders older than this were left by a killed run. */
const SCRATCH_MAX_AGE_MS = 24 * 3600_000;
const PLUGIN_CACHE_ENV = ['TF_PLUGIN_CACHE_DIR', 'TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE'];
function withoutPluginCache(env, cliConfigFile) {
    const out = { ...env };
    for (const k of PLUGIN_CACHE_ENV)
        delete out[k];
    if (cliConfigFile)
        out.TF_CLI_CONFIG_FILE = cliConfigFile;
    return out;
}
/** Passes the environment through unchanged (the store is off): the runner's own plugin-cache rule applies. */
function storeOff(env) {
    return { env, envFor: () => env, aroundInit: (_w, init) => init(), lockless: [], unstorable: [], stats: emptyStats() };
}
function readUserConfig(env) {
    const file = env.TF_CLI_CONFIG_FILE || (env.HOME ? external_node_path_default().join(env.HOME, '.terraformrc') : '');
    // Terraform ignores a missing configuration file; so do we.
    const text = file && external_node_fs_default().existsSync(file) ? external_node_fs_default().readFileSync(file, 'utf8') : '';
    return parseUserCliConfig(text, file || '(no CLI configuration)');
}
async function writeConfig(root, text) {
    const file = external_node_path_default().join(providerStorePaths(root).cliConfigs, `${(0,external_node_crypto_namespaceObject.createHash)('sha256').update(text).digest('hex').slice(0, 16)}.tfrc`);
    await external_node_fs_default().promises.mkdir(external_node_path_default().dirname(file), { recursive: true });
    // Content-addressed: concurrent runs with the same configuration write the same bytes.
    await atomicWriteFile(file, text);
    return file;
}
async function prepareProviders(settings, ports) {
    let user;
    try {
        user = readUserConfig(ports.env);
    }
    catch (e) {
        ports.log.warn(`provider store off: ${e.message}`);
        return storeOff(ports.env);
    }
    const packagesDir = providerStorePaths(settings.storeRoot).packages;
    // Terraform refuses a filesystem_mirror that does not exist, even an empty one.
    await external_node_fs_default().promises.mkdir(packagesDir, { recursive: true });
    await sweepScratch(settings.storeRoot, SCRATCH_MAX_AGE_MS);
    const header = '# Generated by atmos-action: your CLI configuration without its plugin cache.\n';
    const scratchConfig = await writeConfig(settings.storeRoot, user.methods ? storeCliConfig({ store: packagesDir, stored: [], methods: user.methods, extra: user.extra }) : header + user.extra);
    const seeds = [ports.env.TF_PLUGIN_CACHE_DIR, user.pluginCacheDir].filter((s) => !!s).map((s) => external_node_path_default().resolve(s));
    const base = { root: settings.storeRoot, platform: settings.platform, log: ports.log, lock: settings.lock };
    const lockless = [];
    const locks = [];
    for (const { workdir, lockFile } of settings.targets) {
        if (!lockFile) {
            lockless.push(workdir);
            continue;
        }
        try {
            locks.push(await readLockFile(lockFile));
        }
        catch (e) {
            ports.log.warn(`provider store: ${e.message}; this instance installs its providers itself, one at a time`);
            lockless.push(workdir);
        }
    }
    const packages = lockedPackages(locks);
    const installer = { exec: ports.exec, command: settings.command, env: withoutPluginCache(ports.env), cliConfigFile: scratchConfig };
    const { stats, outcomes } = await ensureStore(packages, { ...base, seeds, installer });
    // A provider goes to the store only when every version the lock files name is there.
    const ok = new Set(['hit', 'rehashed', 'installed', 'seeded']);
    const unstorable = outcomes
        .filter((o) => !ok.has(o.outcome))
        .map((o) => `${o.provider.source} ${o.provider.version}: ${o.outcome === 'unverifiable' ? `the lock file has no h1: hash for ${settings.platform}` : (o.error ?? o.outcome)}`);
    const badSources = new Set(outcomes.filter((o) => !ok.has(o.outcome)).map((o) => o.provider.source));
    const stored = packages.filter((p) => !badSources.has(p.source)).map((p) => p.address);
    for (const u of unstorable)
        ports.log.warn(`provider store: ${u}; installed per instance by your own installation methods`);
    const methods = user.methods ?? [{ kind: 'direct' }];
    const cliConfigFile = await writeConfig(settings.storeRoot, storeCliConfig({ store: packagesDir, stored, methods, extra: user.extra }));
    const env = withoutPluginCache(ports.env, cliConfigFile);
    let locklessEnv = env;
    if (lockless.length) {
        const text = storeCliConfig({ store: packagesDir, stored: [], methods: [{ kind: 'filesystem_mirror', path: packagesDir }, ...methods], extra: user.extra });
        locklessEnv = withoutPluginCache(ports.env, await writeConfig(settings.storeRoot, text));
        ports.log.warn(`${lockless.length} instance(s) have no .terraform.lock.hcl, so their providers cannot be known in advance: their inits run one at a time. ` +
            'Commit lock files (terraform providers lock) to make inits parallel and reproducible.');
    }
    const locklessSet = new Set(lockless.map((w) => external_node_path_default().resolve(w)));
    const serialKey = external_node_path_default().join(providerStorePaths(settings.storeRoot).locks, 'lockless-init');
    const prepared = {
        cliConfigFile,
        env,
        envFor: (wd) => (locklessSet.has(external_node_path_default().resolve(wd)) ? locklessEnv : env),
        lockless,
        unstorable,
        stats,
        aroundInit: async (wd, init) => {
            if (!locklessSet.has(external_node_path_default().resolve(wd)))
                return init();
            return withLock(serialKey, async () => {
                const r = await init();
                await harvest(wd);
                return r;
            }, settings.lock);
        },
    };
    const harvest = async (wd) => {
        const file = external_node_path_default().join(wd, lock_seed_CANONICAL_LOCK);
        if (!external_node_fs_default().existsSync(file))
            return;
        try {
            const got = await ensureStore(lockedPackages([await readLockFile(file)]), { ...base, seeds: [external_node_path_default().join(wd, '.terraform', 'providers')], seedKind: 'harvested' });
            addStats(prepared.stats, got.stats);
            if (got.stats.harvested)
                ports.log.info(`provider store: harvested ${got.stats.harvested} package(s) from ${wd}`);
        }
        catch (e) {
            ports.log.warn(`provider store: could not harvest from ${wd}: ${e.message}`);
        }
    };
    ports.log.info(`provider store ${settings.storeRoot}: ${packages.length} package(s), ${stats.hits + stats.rehashed} present, ${stats.extractions} installed` +
        (stored.length ? ` (${[...new Set(stored.map(formatProviderAddress))].join(', ')} served from the store)` : ''));
    return prepared;
}

;// CONCATENATED MODULE: ./src/providers/targets.ts
/**
 * Which lock file decides an instance's providers, known before its workdir is provisioned: the
 * committed per-instance lock file, else the component's committed `.terraform.lock.hcl` (what
 * provisioning seeds the workdir with), else the lock file a previous init left in the workdir.
 * None: the instance's providers are only known after its init.
 */



function existing(file) {
    try {
        return external_node_fs_default().statSync(file).isFile() ? file : null;
    }
    catch {
        return null; // ENOENT, and ENAMETOOLONG for a per-instance name past the limit
    }
}
function providerTarget(instance, workdir) {
    const lockFile = existing(external_node_path_default().join(instance.componentPath, instanceLockFileName(instance.stack, instance.component))) ??
        existing(external_node_path_default().join(instance.componentPath, lock_seed_CANONICAL_LOCK)) ??
        existing(external_node_path_default().join(workdir, lock_seed_CANONICAL_LOCK));
    return { workdir, lockFile };
}
/** For workdirs that already exist: their own lock files. */
function workdirTargets(workdirs) {
    return workdirs.map((workdir) => ({ workdir, lockFile: existing(path.join(workdir, CANONICAL_LOCK)) }));
}

;// CONCATENATED MODULE: ./src/app/provider-store-init.ts
/**
 * The provider store as the runner's {@link PrepareInit}: before any init, fill the store for the
 * selected instances' lock files and hand every instance the generated CLI configuration (see
 * providers/prepare.ts). On by default; `ATMOS_ACTION_PROVIDER_STORE=off` (or `false`, `0`) or
 * `RunSettings.providerStore: false` (CLI `--no-provider-store`) fall back to the plugin-cache
 * policy. Any unexpected trouble with the store itself (an unwritable cache folder) is a warning
 * and the same fallback, never a failed run.
 */





const OFF = /^(off|false|0|no)$/i;
/** Whether the store is on: the setting wins, then ATMOS_ACTION_PROVIDER_STORE (a folder, or off). */
function providerStoreEnabled(env, setting) {
    if (setting !== undefined)
        return setting;
    return !OFF.test(env.ATMOS_ACTION_PROVIDER_STORE ?? '');
}
/** The command most selected instances run (`terraform` by default): it installs missing packages. */
function commandOf(instances) {
    const counts = new Map();
    for (const i of instances)
        counts.set(i.command || 'terraform', (counts.get(i.command || 'terraform') ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'terraform';
}
function providerStorePrepareInit(settings, ports) {
    return async (ctx) => {
        const wd = (i) => paths_buildWorkdirPath(settings.basePath, i.stack, i.component);
        try {
            const storeRoot = providerStoreRoot(ctx.env, settings.storeRoot);
            const prepared = await prepareProviders({
                targets: ctx.instances.map((i) => providerTarget(i, wd(i))),
                storeRoot,
                command: commandOf(ctx.instances),
                platform: terraformPlatform(process.platform, process.arch),
            }, { exec: ports.exec, log: ports.log, env: ctx.env });
            if (!prepared.cliConfigFile)
                return pluginCachePolicy(ctx);
            return {
                env: prepared.env,
                serializeInits: false,
                notes: [],
                envFor: (i) => prepared.envFor(wd(i)),
                gateFor: (i) => (init) => prepared.aroundInit(wd(i), init),
                providers: prepared.stats,
            };
        }
        catch (e) {
            ports.log.warn(`provider store off for this run: ${e.message}`);
            return pluginCachePolicy(ctx);
        }
    };
}

;// CONCATENATED MODULE: ./src/app/run.ts
/**
 * `plan`, `apply`, `destroy` over one instance or a selection: resolve, select, check the terraform
 * binary once, build the dependency DAG among the selected instances, and run each instance (its
 * workdir provisioned first, always) through the one scheduler. Shared by the CLI and the action.
 */













/** Thrown inside the scheduler so that a failed instance counts as a failure for its dependents. */
class InstanceFailed extends Error {
    result;
    constructor(result) {
        super(result.reason);
        this.result = result;
    }
}
const label = (i) => `${i.component}@${i.stack}`;
/** Scheduler nodes: edges only among the selected instances; destroy turns them around. */
function runGraph(instances, action, log) {
    const selected = new Set(instances.map(instanceKey));
    const deps = new Map(instances.map((i) => [instanceKey(i), []]));
    for (const i of instances) {
        for (const d of i.dependsOn) {
            const dk = instanceKey(d);
            if (!selected.has(dk)) {
                log.info(`${label(i)} depends on ${label(d)}, which is not selected: not waiting for it`);
                continue;
            }
            // Destroy runs in reverse: a dependent is destroyed before what it depends on.
            if (action === 'destroy')
                deps.get(dk).push(instanceKey(i));
            else
                deps.get(instanceKey(i)).push(dk);
        }
    }
    return instances.map((i) => ({ key: instanceKey(i), deps: deps.get(instanceKey(i)), value: i }));
}
async function runInstances(settings, ports) {
    const t0 = ports.clock.now().getTime();
    const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log, includeAbstract: false });
    const t = settings.target;
    const one = 'component' in t;
    const picked = one ? [findInstance(stacks, t.component, t.stack)] : selectInstances(stacks.instances, { stacks: t.stacks, components: t.components });
    const instances = settings.planfiles ? picked.filter((i) => settings.planfiles.has(instanceKey(i))) : picked;
    if (settings.planfiles && settings.action !== 'apply')
        throw new util_errors/* AtmosError */.f7('saved plans are applied with action apply only');
    if (settings.planfile && (!one || settings.action !== 'apply'))
        throw new util_errors/* AtmosError */.f7('--planfile applies the saved plan of one instance: apply <component> -s <stack> --planfile FILE');
    if (instances.length === 0) {
        const why = one ? [] : emptySelectionWarnings(stacks.instances, t);
        throw new util_errors/* AtmosError */.f7(`no deployable instance matches the selection${why.length ? `: ${why.join('; ')}` : ''}`);
    }
    assertDistinctWorkdirs(instances);
    // Before anything starts: a cycle, a missing binary.
    const nodes = runGraph(instances, settings.action, ports.log);
    const runnable = instances.filter((i) => !refusal({ instance: i, action: settings.action, workdir: paths_buildWorkdirPath(config.basePath, i.stack, i.component) }));
    for (const command of new Set(runnable.map((i) => i.command || 'terraform'))) {
        const users = runnable.filter((i) => (i.command || 'terraform') === command);
        findTerraform(command, ports.env, settings.cwd, users.length === 1 ? `component ${users[0].component} in stack ${users[0].stack}` : `${users.length} selected instances`);
    }
    const parallelism = Math.max(1, settings.parallelism ?? external_node_os_default().availableParallelism());
    const parallel = Math.min(parallelism, instances.length) > 1;
    const defaultPrepare = providerStoreEnabled(ports.env, settings.providerStore)
        ? providerStorePrepareInit({ basePath: config.basePath, storeRoot: settings.providerStoreRoot }, ports)
        : pluginCachePolicy;
    const prepared = await (settings.prepareInit ?? defaultPrepare)({ parallel, env: ports.env, instances: runnable });
    for (const n of prepared.notes)
        ports.log.info(n);
    const initGate = prepared.serializeInits ? oneAtATime() : undefined;
    const many = instances.length > 1;
    const provisionOpts = { basePath: config.basePath, defaultTtl: config.terraform.sourceTtl, gitTimeoutMs: parseGitTimeout(ports.env.ATMOS_ACTION_GIT_TIMEOUT) };
    const work = async (instance) => {
        const started = ports.clock.now().getTime();
        const prefix = many ? `[${label(instance)}] ` : undefined;
        const request = {
            instance,
            action: settings.action,
            settings: config.terraform,
            env: prepared.envFor?.(instance) ?? prepared.env,
            planfile: settings.planfiles?.get(instanceKey(instance)) ?? settings.planfile,
            parallel,
            prefix,
            signal: settings.signal,
            forceSignal: settings.forceSignal,
            initGate: prepared.gateFor?.(instance) ?? initGate,
            color: settings.color,
        };
        let result;
        const workdir = paths_buildWorkdirPath(config.basePath, instance.stack, instance.component);
        if (refusal({ instance, action: settings.action, workdir })) {
            result = await runInstance({ ...request, workdir, reprovisioned: false }, ports);
        }
        else {
            // Isolation is the point: every instance runs in its own workdir, whatever provision.workdir.enabled says.
            let wd;
            try {
                wd = await provisionWorkdir(instance, provisionOpts, { ...ports, log: prefixed(ports.log, prefix) });
            }
            catch (e) {
                throw new InstanceFailed(failedResult(instance, settings.action, `provision failed: ${e.message}`, ports.clock.now().getTime() - started));
            }
            const provisionMs = ports.clock.now().getTime() - started;
            result = await runInstance({ ...request, workdir: wd.terraformDir, reprovisioned: wd.changed }, ports);
            result.steps.unshift({ step: 'provision', ms: provisionMs, code: 0 });
            result.durationMs += provisionMs;
        }
        if (result.status === 'failed')
            throw new InstanceFailed(result);
        return result;
    };
    const outcome = await schedule(nodes, work, { parallelism, failFast: !settings.keepGoing, signal: settings.signal });
    const results = outcome.map((r, idx) => {
        const i = instances[idx];
        if (r.status === 'ok')
            return r.value;
        if (r.status === 'skipped')
            return { ...failedResult(i, settings.action, `${r.reason.replace(/^not started: /, '')}`, 0), status: 'skipped' };
        if (r.error instanceof InstanceFailed)
            return r.error.result;
        return failedResult(i, settings.action, r.error?.message ?? String(r.error), r.durationMs);
    });
    return {
        action: settings.action,
        results,
        parallelism,
        wallMs: ports.clock.now().getTime() - t0,
        cancelled: settings.signal?.aborted ?? false,
        ...(prepared.providers ? { providers: prepared.providers } : {}),
    };
}
function failedResult(i, action, reason, durationMs) {
    return { instance: instanceKey(i), stack: i.stack, component: i.component, action, status: 'failed', reason, durationMs, steps: [] };
}
function prefixed(log, prefix) {
    if (!prefix)
        return log;
    return { debug: (m) => log.debug(prefix + m), info: (m) => log.info(prefix + m), warn: (m) => log.warn(prefix + m), error: (m) => log.error(prefix + m) };
}

;// CONCATENATED MODULE: ./src/report/run.ts
function counts(r) {
    const c = r.plan?.counts;
    if (!c)
        return '';
    return `+${c.add} ~${c.change} -${c.destroy}${c.replace ? ` ±${c.replace}` : ''}`;
}
/** The result column: what happened, or why not. */
function resultText(r) {
    switch (r.status) {
        case 'no-changes':
            return 'no changes';
        case 'changes':
            return `changes ${counts(r)}`;
        case 'applied':
        case 'destroyed':
            return r.plan ? `${r.status} ${counts(r)}` : r.status;
        case 'failed':
            return `failed: ${r.reason}`;
        case 'skipped':
            return `skipped: ${r.reason}`;
    }
}
function run_formatDuration(ms) {
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)}s`;
    const s = Math.round(ms / 1000);
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
/** A long terraform error would stretch the table; the JSON output keeps the whole text. */
const MAX_RESULT = 160;
/** The final table: INSTANCE, RESULT, DURATION, then a summary line. */
function formatRunTable(report) {
    const rows = [['INSTANCE', 'RESULT', 'DURATION']];
    for (const r of report.results) {
        const text = resultText(r).replace(/\s+/g, ' ');
        rows.push([`${r.component}@${r.stack}`, text.length > MAX_RESULT ? `${text.slice(0, MAX_RESULT - 1)}…` : text, run_formatDuration(r.durationMs)]);
    }
    const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
    const lines = rows.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd());
    const by = (s) => report.results.filter((r) => r.status === s).length;
    const tally = ['no-changes', 'changes', 'applied', 'destroyed', 'failed', 'skipped']
        .filter((s) => by(s) > 0)
        .map((s) => `${by(s)} ${s.replace('-', ' ')}`)
        .join(', ');
    const head = `${report.action}: ${report.results.length} instance(s), ${tally}; ${run_formatDuration(report.wallMs)} wall, parallelism ${report.parallelism}`;
    return `${lines.join('\n')}\n\n${head}${report.cancelled ? ' (cancelled)' : ''}\n`;
}
/** `--format json`: snake_case fields; the plan lists addresses and counts, never values. */
function runJson(report) {
    return {
        action: report.action,
        cancelled: report.cancelled,
        parallelism: report.parallelism,
        wall_ms: Math.round(report.wallMs),
        results: report.results.map((r) => ({
            instance: r.instance,
            stack: r.stack,
            component: r.component,
            status: r.status,
            reason: r.reason,
            duration_ms: Math.round(r.durationMs),
            ...(r.planfile ? { planfile: r.planfile } : {}),
            ...(r.plan
                ? {
                    changes: { add: r.plan.add, change: r.plan.change, destroy: r.plan.destroy, replace: r.plan.replace },
                    counts: r.plan.counts,
                    output_changes: r.plan.outputs,
                }
                : {}),
            steps: r.steps.map((s) => ({ step: s.step, ms: Math.round(s.ms), code: s.code, ...(s.signal ? { signal: s.signal } : {}) })),
        })),
    };
}
/**
 * 0 all ok, 1 any failure (or a cancelled run), and with `plan --detailed-exitcode` 2 when some
 * instance has changes and none failed. The CLI turns a cancellation into 130/143 itself.
 */
function runExitCode(report, opts = {}) {
    if (report.cancelled || report.results.some((r) => r.status === 'failed'))
        return 1;
    if (opts.detailedExitcode && report.results.some((r) => r.status === 'changes'))
        return 2;
    return 0;
}

;// CONCATENATED MODULE: ./src/cli/signals.ts
/** Conventional exit codes: 128 + the signal number. */
const SIGNAL_EXIT_CODE = { SIGINT: 130, SIGTERM: 143 };
function cancelOnSignals(log) {
    const graceful = new AbortController();
    const force = new AbortController();
    let first;
    const handler = (sig) => {
        if (!first) {
            first = sig;
            log.warn(`${sig} received: stopping running terraform gracefully (it releases its state locks), starting nothing new; send it again to kill`);
            graceful.abort();
        }
        else if (!force.signal.aborted) {
            log.warn(`${sig} received again: killing running terraform`);
            force.abort();
        }
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return {
        signal: graceful.signal,
        forceSignal: force.signal,
        received: () => first,
        dispose() {
            process.off('SIGINT', handler);
            process.off('SIGTERM', handler);
        },
    };
}

;// CONCATENATED MODULE: ./src/cli/commands/run.ts
/** `plan`, `apply`, `destroy`: parse flags into run settings, call app/run.ts, render with report/run.ts. */





function target(args, action) {
    const stack = stringFlag(args.values.stack);
    const [component, ...extra] = args.positionals;
    if (extra.length)
        throw new UsageError(`unexpected argument ${extra[0]}`);
    const globs = { stacks: listFlag(args.values.stacks), components: listFlag(args.values.components) };
    if (args.values.all === true || globs.stacks.length > 0 || globs.components.length > 0) {
        if (component || stack)
            throw new UsageError('--all/--stacks/--components select instances; they cannot be combined with a component or -s');
        return globs;
    }
    if (!component)
        throw new UsageError(`expected a component: ${action} <component> -s <stack>, or --all`);
    if (!stack)
        throw new UsageError('missing -s/--stack');
    return { stack, component };
}
const SHARED_OPTIONS = {
    stack: { type: 'string', short: 's' },
    all: { type: 'boolean' },
    stacks: { type: 'string', multiple: true },
    components: { type: 'string', multiple: true },
    parallelism: { type: 'string' },
    'max-concurrency': { type: 'string' },
    'keep-going': { type: 'boolean' },
    format: { type: 'string' },
    'no-provider-store': { type: 'boolean' },
};
const SHARED_HELP = `  -s, --stack STACK          the instance's stack
      --all                  every deployable instance
      --stacks GLOBS         instances in stacks matching these globs (comma-separated or repeated)
      --components GLOBS     instances of components matching these globs
      --parallelism N        instances running at once (default: the CPU count); alias --max-concurrency
      --keep-going           after a failure, run every instance that does not depend on it (default: fail fast)
      --format FORMAT        text (default: the results table) or json
      --no-provider-store    do not use the shared provider store (also: ATMOS_ACTION_PROVIDER_STORE=off); by default each
                             provider package is installed once per machine and inits link to it (README: Provider store)`;
const EXIT_HELP = `Each instance runs in its own workdir (<base_path>/.workdir/terraform/<stack>-<instance>), provisioned
first. Instances start as soon as their dependencies (settings.depends_on, dependencies.components)
are done; terraform's output streams to stderr, prefixed [<component>@<stack>] when several run.
Ctrl-C/SIGTERM stops running terraform gracefully (state locks are released) and starts nothing new;
a second signal kills it. Exit: 0 all ok, 1 any failure, 130/143 when cancelled by SIGINT/SIGTERM`;
function runCommand(action, summary, usageExtra, extraOptions, extraHelp, what) {
    return {
        path: [action],
        summary,
        help: `Usage: atmos-action ${action} <component> -s <stack>${usageExtra}
       atmos-action ${action} --all | --stacks GLOBS | --components GLOBS [--parallelism N] [--keep-going]

${what}
${EXIT_HELP}${action === 'plan' ? ', 2 with --detailed-exitcode when some instance has changes and none failed' : ''}.

${SHARED_HELP}${extraHelp}`,
        options: { ...SHARED_OPTIONS, ...extraOptions },
        async run(args, ctx) {
            const format = formatFlag(args.values.format, ['text', 'json'], 'text');
            if (args.values.parallelism !== undefined && args.values['max-concurrency'] !== undefined) {
                throw new UsageError('--parallelism and --max-concurrency are the same flag; give one');
            }
            const flag = args.values.parallelism !== undefined ? 'parallelism' : 'max-concurrency';
            const parallelism = positiveInt(args.values[flag], flag, external_node_os_default().availableParallelism());
            const cancel = cancelOnSignals(ctx.log);
            try {
                const report = await runInstances({
                    cwd: ctx.cwd,
                    action,
                    target: target(args, action),
                    parallelism,
                    keepGoing: args.values['keep-going'] === true,
                    planfile: stringFlag(args.values.planfile),
                    signal: cancel.signal,
                    forceSignal: cancel.forceSignal,
                    ...(args.values['no-provider-store'] === true ? { providerStore: false } : {}),
                }, ctx);
                ctx.stdout(format === 'json' ? `${JSON.stringify(runJson(report), null, 2)}\n` : formatRunTable(report));
                const sig = cancel.received();
                if (sig)
                    return SIGNAL_EXIT_CODE[sig] ?? 1;
                return runExitCode(report, { detailedExitcode: args.values['detailed-exitcode'] === true });
            }
            finally {
                cancel.dispose();
            }
        },
    };
}
const planCommand = runCommand('plan', 'plan instances with terraform, in dependency order, in parallel', ' [--detailed-exitcode]', { 'detailed-exitcode': { type: 'boolean' } }, '\n      --detailed-exitcode    exit 2 when some instance has changes and none failed', 'Runs init, workspace select, plan -out <planfile> and show -json in each instance\'s workdir; the\nplan file stays there for a later apply.');
const applyCommand = runCommand('apply', 'plan and apply instances, in dependency order, in parallel', ' [--planfile FILE]', { planfile: { type: 'string' } }, '\n      --planfile FILE        one instance: apply this saved plan as is (relative to its workdir, or absolute)', 'Plans each instance and applies exactly that plan (no prompt) when it has changes.');
const destroyCommand = runCommand('destroy', 'destroy instances, dependents first, in parallel', '', {}, '', 'Plans a destroy in each instance and applies it; an instance is destroyed only after every selected\ninstance that depends on it.');
const runCommands = [planCommand, applyCommand, destroyCommand];

;// CONCATENATED MODULE: ./src/cli/commands/version.ts

const versionCommand = {
    path: ['version'],
    summary: 'print the atmos-action version',
    help: 'Usage: atmos-action version',
    options: {},
    maxPositionals: 0,
    async run(_args, ctx) {
        ctx.stdout(`atmos-action ${VERSION}\n`);
        return 0;
    },
};

;// CONCATENATED MODULE: ./src/workdir/clean.ts
/**
 * `workdir clean` and the action's `command: clean`. Never deletes a workdir that holds local
 * Terraform state or whose lock is held, unless forced; says which it skipped and why.
 * A workdir is removed by renaming it into `.workdir/.trash/` first (atomic), so no reader ever
 * sees a half-deleted workdir that still looks provisioned.
 */









function entryOf(w, why) {
    return { name: w.name, path: w.path, stack: w.stack, component: w.component, ...(why ? { why } : {}) };
}
/** Last use as Atmos judges it: last_accessed, else updated_at, else created_at, else the folder's mtime. */
function lastUse(w) {
    for (const t of [w.last_accessed, w.updated_at, w.created_at]) {
        const d = t ? new Date(t) : null;
        if (d && !Number.isNaN(d.getTime()))
            return d;
    }
    return null;
}
async function cleanWorkdirs(basePath, request, ports, opts = {}) {
    const result = { dryRun: !!request.dryRun, removed: [], skipped: [], missing: [], collected: { scratch: 0, trash: 0 } };
    const root = workdirRoot(basePath);
    const tree = scanWorkdirTree(basePath); // refuses a root reached through a link
    const candidates = [];
    if (request.mode === 'instances') {
        for (const i of request.instances) {
            const abs = paths_buildWorkdirPath(basePath, i.stack, i.component);
            guardStatePath(basePath, abs, 'workdir');
            if (!external_node_fs_default().existsSync(abs)) {
                result.missing.push({ stack: i.stack, component: i.component });
                continue;
            }
            const info = describeWorkdirFolder(basePath, external_node_path_default().relative(root, abs).split((external_node_path_default()).sep).join('/'), opts.lock?.staleMs);
            // The folder may predate metadata; the request tells us whose it is.
            info.stack ||= i.stack;
            info.component ||= i.component;
            candidates.push({ info });
        }
    }
    else {
        const ttl = request.mode === 'expired' ? parseTtl(request.ttl, '--ttl') : null;
        const now = ports.clock.now();
        for (const link of tree.links) {
            // Never followed, never counted as a workdir; said, so a committed link does not go unnoticed.
            const p = `${external_node_path_default().posix.join('.workdir/terraform', link)}`;
            result.skipped.push({ name: link, path: p, stack: '', component: '', reasons: ['is a symbolic link, not a workdir; not followed (remove it by hand)'] });
            ports.log.warn(`${p}: skipped: a symbolic link, not a workdir; not followed`);
        }
        for (const name of tree.workdirs) {
            const info = describeWorkdirFolder(basePath, name, opts.lock?.staleMs);
            if (!ttl) {
                candidates.push({ info });
                continue;
            }
            const used = lastUse(info);
            const age = used ? now.getTime() - used.getTime() : Infinity;
            if (ttl.always || age > ttl.ms) {
                candidates.push({ info, why: used ? `last used ${formatDuration(age)} ago` : 'last use unknown' });
            }
        }
    }
    for (const { info, why } of candidates) {
        const reasons = [];
        if (info.local_state.length)
            reasons.push(`holds local Terraform state (${info.local_state.join(', ')})`);
        if (info.locked) {
            const o = info.lock_owner;
            reasons.push(`its lock is held${o ? ` by pid ${o.pid} on ${o.host} since ${o.since}` : ''}`);
        }
        if (reasons.length && !request.force) {
            result.skipped.push({ ...entryOf(info, why), reasons });
            ports.log.warn(`workdir ${info.path}: skipped: ${reasons.join('; ')} (use --force to delete anyway)`);
            continue;
        }
        if (request.dryRun) {
            result.removed.push(entryOf(info, why));
            continue;
        }
        const remove = () => removeWorkdir(basePath, info.absPath);
        // The lock key follows from the folder name, so even a workdir without metadata is removed only under its lock.
        const key = workdirLockKeyFromName(basePath, info.name);
        await ensureStateDir(basePath, external_node_path_default().dirname(key), 'lock folder');
        try {
            // Do not wait: a provision that started after we looked makes this workdir busy again.
            await withLock(key, remove, { ...opts.lock, waitMs: 0 });
        }
        catch (e) {
            if (!(e instanceof LockTimeoutError))
                throw e;
            if (!request.force) {
                result.skipped.push({ ...entryOf(info, why), reasons: [`its lock was taken while cleaning${e.owner ? ` (by pid ${e.owner.pid})` : ''}`] });
                ports.log.warn(`workdir ${info.path}: skipped: its lock was taken while cleaning`);
                continue;
            }
            await remove();
        }
        result.removed.push(entryOf(info, why));
        ports.log.info(`workdir ${info.path}: removed${why ? ` (${why})` : ''}`);
    }
    if (!request.dryRun) {
        result.collected = await collectLeftovers(basePath, ports.log, ports.clock.now().getTime());
        // Folders emptied by the removals (stack sub-folders).
        if (request.mode === 'all')
            pruneEmptyDirs(root);
    }
    return result;
}
/** A scratch folder whose name we did not make (an older version's) is removed once it is this old. */
const FOREIGN_SCRATCH_MS = 24 * 3_600_000;
/**
 * Scratch folders of fetches whose process is gone (never one whose process still runs), and
 * whatever an interrupted clean left in the trash. Both roots are checked for links first: a
 * linked `.workdir/.trash` must not make us delete the link's target.
 */
async function collectLeftovers(basePath, log, nowMs) {
    const collected = { scratch: 0, trash: 0 };
    for (const [root, kind] of [
        [workdirTmpRoot(basePath), 'scratch'],
        [workdirTrashRoot(basePath), 'trash'],
    ]) {
        guardStatePath(basePath, root, `${kind} folder`);
        let entries;
        try {
            entries = external_node_fs_default().readdirSync(root, { withFileTypes: true });
        }
        catch {
            continue;
        }
        for (const d of entries) {
            const abs = external_node_path_default().join(root, d.name);
            if (kind === 'scratch') {
                const pid = scratchOwnerPid(d.name);
                if (pid !== null ? processAlive(pid) : nowMs - (external_node_fs_default().lstatSync(abs, { throwIfNoEntry: false })?.mtimeMs ?? 0) < FOREIGN_SCRATCH_MS)
                    continue;
            }
            try {
                await external_node_fs_default().promises.rm(abs, { recursive: true, force: true });
                collected[kind]++;
            }
            catch (e) {
                log.warn(`${abs}: could not remove leftover ${kind}: ${e.message}`);
            }
        }
        // The scratch root stays: a provision may be about to create its folder there.
        if (kind === 'trash')
            await external_node_fs_default().promises.rmdir(root).catch(() => { });
    }
    if (collected.scratch || collected.trash) {
        log.info(`collected ${collected.scratch} stale scratch folder(s) and ${collected.trash} trash folder(s) left by interrupted runs`);
    }
    return collected;
}
async function removeWorkdir(basePath, abs) {
    const trash = external_node_path_default().join(workdirTrashRoot(basePath), `${external_node_path_default().basename(abs)}-${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}`);
    guardStatePath(basePath, abs, 'workdir');
    await ensureStateDir(basePath, external_node_path_default().dirname(trash), 'trash folder');
    try {
        await external_node_fs_default().promises.rename(abs, trash);
    }
    catch (e) {
        throw new util_errors/* AtmosError */.f7(`cannot remove workdir ${abs}: ${e.message}`, { file: abs, cause: e });
    }
    await external_node_fs_default().promises.rm(trash, { recursive: true, force: true });
    await external_node_fs_default().promises.rmdir(external_node_path_default().dirname(trash)).catch(() => { });
}
/** Removes empty folders below `dir`, never descending into a workdir (a skipped one must stay untouched). */
function pruneEmptyDirs(dir) {
    if (external_node_fs_default().existsSync(atmosDir(dir)))
        return false;
    let entries;
    try {
        entries = external_node_fs_default().readdirSync(dir, { withFileTypes: true });
    }
    catch {
        return false;
    }
    let empty = true;
    for (const d of entries) {
        if (!(d.isDirectory() && pruneEmptyDirs(external_node_path_default().join(dir, d.name))))
            empty = false;
    }
    if (empty) {
        try {
            external_node_fs_default().rmdirSync(dir);
            return true;
        }
        catch {
            return false;
        }
    }
    return false;
}

;// CONCATENATED MODULE: ./src/app/clean.ts
/** `clean` (CLI `workdir clean`, action `command: clean`). */



/**
 * Only an instance target resolves the stacks; `all` and `ttl` need just the base path, so a
 * broken stack manifest never blocks cleanup.
 */
async function clean(settings, ports) {
    const { target } = settings;
    const flags = { dryRun: settings.dryRun, force: settings.force };
    let basePath;
    let request;
    if ('component' in target) {
        const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log });
        const i = findInstance(stacks, target.component, target.stack);
        basePath = config.basePath;
        request = { mode: 'instances', instances: [{ stack: i.stack, component: i.component }], ...flags };
    }
    else {
        basePath = loadConfig(settings, ports).basePath;
        request = 'all' in target ? { mode: 'all', ...flags } : { mode: 'expired', ttl: target.ttl, ...flags };
    }
    return cleanWorkdirs(basePath, request, { log: ports.log, clock: ports.clock });
}

;// CONCATENATED MODULE: ./src/app/provision.ts
/** `provision` (CLI `workdir provision`, action `command: provision`): create or refresh workdirs. */






/**
 * A named instance without workdirs enabled is an error (the user asked for that workdir; both
 * entry points fail, naming the setting), while a glob selection skips such instances and says so.
 * Per-instance failures do not throw: they come back in `outcomes`, the others still run.
 */
async function provision(settings, ports) {
    // The deploy path: abstract instances are never provisioned, so they are not resolved.
    const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log, includeAbstract: false });
    const t = settings.target;
    if (!('component' in t))
        for (const w of emptySelectionWarnings(stacks.instances, t))
            ports.log.warn(w);
    const picked = 'component' in t ? [findInstance(stacks, t.component, t.stack)] : selectInstances(stacks.instances, { stacks: t.stacks, components: t.components });
    const enabled = picked.filter((i) => isWorkdirEnabled(i, settings.forceWorkdir));
    const notEnabled = picked.filter((i) => !isWorkdirEnabled(i, settings.forceWorkdir));
    if ('component' in t && notEnabled.length) {
        const i = notEnabled[0];
        throw new util_errors/* AtmosError */.f7(`workdirs are not enabled for ${i.component} in stack ${i.stack}: set provision.workdir.enabled: true, or turn them on for this run (${settings.howToForce ?? 'CLI --workdir, action input workdir: true'})`);
    }
    const outcomes = await provisionWorkdirs(enabled, {
        basePath: config.basePath,
        defaultTtl: config.terraform.sourceTtl,
        parallelism: settings.parallelism,
        // The same deadline for the CLI and the action: the environment variable is the one knob.
        gitTimeoutMs: parseGitTimeout(ports.env.ATMOS_ACTION_GIT_TIMEOUT),
    }, { exec: ports.exec, log: ports.log, clock: ports.clock, env: ports.env });
    return { basePath: config.basePath, outcomes, notEnabled };
}

;// CONCATENATED MODULE: ./src/app/workdirs.ts
/** `workdir list` and `workdir show`: what is on disk, read without taking locks. */



/** Every workdir under the base path (needs atmos.yaml only, not the stacks). */
function workdirs_listWorkdirs(settings, ports) {
    return listWorkdirs(loadConfig(settings, ports).basePath);
}
/** One instance's workdir (`info` null when it has not been provisioned), with the instance's canonical names. */
function workdirs_showWorkdir(settings, ports) {
    const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log });
    const i = findInstance(stacks, settings.component, settings.stack);
    return { stack: i.stack, component: i.component, info: showWorkdir(config.basePath, i.stack, i.component) };
}

;// CONCATENATED MODULE: ./src/report/workdirs.ts


/** The JSON shape Atmos's `workdir list --format json` prints, plus atmos-action's extra fields. */
function toListJson(w) {
    const { absPath: _abs, lock_owner, ...rest } = w;
    return { ...rest, ...(lock_owner ? { lock_owner } : {}) };
}
/** Table with Atmos's columns (COMPONENT, STACK, TYPE, VERSION, LAST_ACCESSED, PATH) plus STATUS. */
function formatWorkdirTable(items) {
    const rows = [['COMPONENT', 'STACK', 'TYPE', 'VERSION', 'LAST_ACCESSED', 'STATUS', 'PATH']];
    for (const w of items) {
        const status = [w.complete ? 'ok' : 'incomplete', w.locked ? 'locked' : '', w.local_state.length ? 'local-state' : '', w.metadata_error ? 'no-metadata' : '']
            .filter(Boolean)
            .join(',');
        rows.push([w.component || '?', w.stack || '?', w.source_type || '?', w.source_version ?? '', w.last_accessed, status, w.path]);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}
/** `workdir show` as aligned `key: value` lines. */
function formatWorkdirDetails(info) {
    const status = [
        info.complete ? 'complete' : 'incomplete (next provision redoes it)',
        info.locked ? 'locked' : '',
        info.local_state.length ? `local state: ${info.local_state.join(', ')}` : '',
    ];
    const rows = [
        ['component', info.component],
        ['stack', info.stack],
        ['path', info.path],
        ['source type', info.source_type],
        ['source', info.source],
        ['version', info.source_version],
        ['commit', info.source_identity],
        ['content hash', info.content_hash],
        ['created', info.created_at],
        ['updated', info.updated_at],
        ['last accessed', info.last_accessed],
        ['status', status.filter(Boolean).join('; ')],
    ];
    return rows.filter(([, v]) => v).map(([k, v]) => `${`${k}:`.padEnd(15)}${v}`).join('\n') + '\n';
}
/** One line per provisioned instance: what was done and why (`dev/vpc: synced 3 files (…)`). */
function provisionLine(r) {
    const lock = r.lockFile.action === 'seeded' || r.lockFile.action === 'reseeded' ? `; .terraform.lock.hcl ${r.lockFile.action} from ${r.lockFile.from}` : '';
    const what = r.reason.startsWith(r.action) ? r.reason : `${r.action}: ${r.reason}`;
    return `${r.stack}/${r.component}: ${what}${lock}`;
}
/** The CLI's text output of a provision run. */
function formatProvisionText(report) {
    const lines = report.outcomes.map((o) => (o.result ? provisionLine(o.result) : `${o.instance.stack}/${o.instance.component}: failed: ${o.error.message}`));
    if (report.notEnabled.length)
        lines.push(`skipped ${report.notEnabled.length} instance(s) without provision.workdir.enabled (pass --workdir to include them)`);
    return lines.map((l) => `${l}\n`).join('');
}
/** The CLI's JSON output of a provision run: full results, errors, and the instances left alone. */
function provisionJson(report) {
    return [
        ...report.outcomes.map((o) => o.result ? { status: 'ok', ...snakeKeys(o.result) } : { status: 'error', stack: o.instance.stack, component: o.instance.component, error: o.error.message }),
        ...report.notEnabled.map((i) => ({ status: 'skipped', stack: i.stack, component: i.component, reason: 'workdir not enabled' })),
    ];
}
/** The action's `workdirs` output: one entry per instance, paths relative to `cwd` (forward slashes). */
function provisionOutput(report, cwd) {
    return report.outcomes.map((o) => ({
        stack: o.instance.stack,
        component: o.instance.component,
        path: posixRelative(cwd, buildWorkdirPath(report.basePath, o.instance.stack, o.instance.component)),
        ...(o.result ? { action: o.result.action, reason: o.result.reason, changed: o.result.changed } : { action: 'failed', reason: o.error.message }),
    }));
}
/** The CLI's text output of a clean run: each workdir named by its instance, then its folder. */
function formatCleanText(r) {
    const verb = r.dryRun ? 'would remove' : 'removed';
    const who = (e) => e.component || e.stack ? `${e.component || '?'} in stack ${e.stack || '?'} (${e.path})` : e.path;
    const lines = [
        ...r.removed.map((e) => `${verb} ${who(e)}${e.why ? `: ${e.why}` : ''}`),
        ...r.skipped.map((e) => `skipped ${who(e)}: ${e.reasons.join('; ')}`),
        ...r.missing.map((m) => `no workdir for ${m.component} in stack ${m.stack}`),
    ];
    if (r.skipped.length)
        lines.push(`${r.skipped.length} workdir(s) skipped; --force deletes them anyway`);
    if (!lines.length)
        lines.push('nothing to clean');
    return lines.map((l) => `${l}\n`).join('');
}
/** A clean run as JSON, in snake_case like every JSON atmos-action prints. */
function cleanJson(r) {
    return snakeKeys(r);
}
/** Keys of our own result objects in snake_case (never applied to user data such as vars). */
function snakeKeys(v) {
    if (Array.isArray(v))
        return v.map(snakeKeys);
    if (v === null || typeof v !== 'object')
        return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(x)]));
}

;// CONCATENATED MODULE: ./src/cli/commands/workdir.ts
/** `workdir provision|list|show|clean`: parse flags, call the app/ use case, render with report/. */





/** `<component> -s STACK` (one instance) or `--all` with optional globs. */
function provisionTarget(args) {
    const stack = stringFlag(args.values.stack);
    const [component, ...extra] = args.positionals;
    if (extra.length)
        throw new UsageError(`unexpected argument ${extra[0]}`);
    if (args.values.all === true) {
        if (component || stack)
            throw new UsageError(`--all cannot be combined with a component or -s; use --stacks/--components to narrow it`);
        return { stacks: listFlag(args.values.stacks), components: listFlag(args.values.components) };
    }
    return oneInstance(args, 'provision');
}
function oneInstance(args, verb) {
    const stack = stringFlag(args.values.stack);
    const [component, ...extra] = args.positionals;
    if (extra.length)
        throw new UsageError(`unexpected argument ${extra[0]}`);
    if (!component)
        throw new UsageError(`expected a component: workdir ${verb} <component> -s <stack>${verb === 'provision' ? ', or --all' : ''}`);
    if (!stack)
        throw new UsageError('missing -s/--stack');
    return { stack, component };
}
const workdirProvisionCommand = {
    path: ['workdir', 'provision'],
    summary: 'create or refresh isolated workdirs (local sync or remote source)',
    help: `Usage: atmos-action workdir provision <component> -s <stack>
       atmos-action workdir provision --all [--stacks GLOBS] [--components GLOBS] [--parallelism N]

Copies each instance's base component (or fetches its \`source:\`) into
<base_path>/.workdir/terraform/<stack>-<instance>, incrementally, and prints what it did and why.
Instances without provision.workdir.enabled are skipped unless --workdir is given.
  -s, --stack STACK        the instance's stack
      --all                every deployable instance (narrow with --stacks/--components)
      --stacks GLOBS       with --all: stacks matching these globs
      --components GLOBS   with --all: components matching these globs
      --parallelism N      instances provisioned at once (default 4)
      --workdir            turn workdirs on for every selected instance
      --format FORMAT      text (default) or json`,
    options: {
        stack: { type: 'string', short: 's' },
        all: { type: 'boolean' },
        stacks: { type: 'string', multiple: true },
        components: { type: 'string', multiple: true },
        parallelism: { type: 'string' },
        workdir: { type: 'boolean' },
        format: { type: 'string' },
    },
    async run(args, ctx) {
        const format = formatFlag(args.values.format, ['text', 'json'], 'text');
        const parallelism = positiveInt(args.values.parallelism, 'parallelism', 4);
        const target = provisionTarget(args);
        // This command prints one line per instance itself; the core's own per-instance info lines would repeat them.
        const quiet = { ...ctx, log: { ...ctx.log, info: ctx.log.debug } };
        const batch = await provision({ cwd: ctx.cwd, target, forceWorkdir: args.values.workdir === true, parallelism, howToForce: 'pass --workdir' }, quiet);
        ctx.stdout(format === 'json' ? `${JSON.stringify(provisionJson(batch), null, 2)}\n` : formatProvisionText(batch));
        return batch.outcomes.some((o) => o.error) ? 1 : 0;
    },
};
const workdirListCommand = {
    path: ['workdir', 'list'],
    summary: 'list provisioned workdirs',
    help: `Usage: atmos-action workdir list [--format table|json]

Lists the workdirs under <base_path>/.workdir/terraform with their source, version, last use and
status (incomplete, locked, local-state).
      --format FORMAT   table (default) or json`,
    options: { format: { type: 'string' } },
    maxPositionals: 0,
    async run(args, ctx) {
        const format = formatFlag(args.values.format, ['table', 'json'], 'table');
        const items = workdirs_listWorkdirs({ cwd: ctx.cwd }, ctx);
        if (format === 'json')
            ctx.stdout(`${JSON.stringify(items.map(toListJson), null, 2)}\n`);
        else
            ctx.stdout(items.length ? `${formatWorkdirTable(items)}\n` : 'no workdirs\n');
        return 0;
    },
};
const workdirShowCommand = {
    path: ['workdir', 'show'],
    summary: "show one instance's workdir",
    help: `Usage: atmos-action workdir show <component> -s <stack> [--format text|json]

  -s, --stack STACK     the instance's stack
      --format FORMAT   text (default) or json`,
    options: { stack: { type: 'string', short: 's' }, format: { type: 'string' } },
    async run(args, ctx) {
        const format = formatFlag(args.values.format, ['text', 'json'], 'text');
        const { stack, component, info } = workdirs_showWorkdir({ cwd: ctx.cwd, ...oneInstance(args, 'show') }, ctx);
        if (!info) {
            ctx.stderr(`no workdir for ${component} in stack ${stack} (run: atmos-action workdir provision ${component} -s ${stack})\n`);
            return 1;
        }
        ctx.stdout(format === 'json' ? `${JSON.stringify(toListJson(info), null, 2)}\n` : formatWorkdirDetails(info));
        return 0;
    },
};
const workdirCleanCommand = {
    path: ['workdir', 'clean'],
    summary: 'delete workdirs (never ones with local state or a held lock, unless --force)',
    help: `Usage: atmos-action workdir clean <component> -s <stack> [--dry-run] [--force]
       atmos-action workdir clean --all [--dry-run] [--force]
       atmos-action workdir clean --expired --ttl DURATION [--dry-run] [--force]

Workdirs holding local Terraform state (terraform.tfstate, terraform.tfstate.d/) or whose lock is
held by a running process are skipped, with the reason, unless --force.
  -s, --stack STACK     the instance's stack
      --all             every workdir
      --expired         workdirs not used within --ttl (30m, 2h, 7d, daily, ...; 0 = all)
      --ttl DURATION    with --expired
      --dry-run         list what would be removed
      --force           remove even with local state or a held lock
      --format FORMAT   text (default) or json`,
    options: {
        stack: { type: 'string', short: 's' },
        all: { type: 'boolean' },
        expired: { type: 'boolean' },
        ttl: { type: 'string' },
        'dry-run': { type: 'boolean' },
        force: { type: 'boolean' },
        format: { type: 'string' },
    },
    async run(args, ctx) {
        const format = formatFlag(args.values.format, ['text', 'json'], 'text');
        const flags = { dryRun: args.values['dry-run'] === true, force: args.values.force === true };
        const ttl = stringFlag(args.values.ttl);
        const expired = args.values.expired === true;
        const all = args.values.all === true;
        const [component, ...extra] = args.positionals;
        if (extra.length)
            throw new UsageError(`unexpected argument ${extra[0]}`);
        if ([expired, all, !!component].filter(Boolean).length !== 1) {
            throw new UsageError('give exactly one of: <component> -s <stack>, --all, --expired --ttl DURATION');
        }
        if (expired !== (ttl !== undefined))
            throw new UsageError(expired ? '--expired needs --ttl' : '--ttl only goes with --expired');
        let target;
        if (component) {
            const stack = stringFlag(args.values.stack);
            if (!stack)
                throw new UsageError('missing -s/--stack');
            target = { stack, component };
        }
        else {
            if (args.values.stack)
                throw new UsageError('-s/--stack goes with a component, not with --all or --expired');
            target = all ? { all: true } : { ttl: ttl };
        }
        // The result below says what was removed or skipped; the core's log lines would say it twice.
        const quiet = { ...ctx, log: { ...ctx.log, info: ctx.log.debug, warn: ctx.log.debug } };
        const result = await clean({ cwd: ctx.cwd, target, ...flags }, quiet);
        ctx.stdout(format === 'json' ? `${JSON.stringify(cleanJson(result), null, 2)}\n` : formatCleanText(result));
        return 0;
    },
};
const workdirCommands = [workdirProvisionCommand, workdirListCommand, workdirShowCommand, workdirCleanCommand];

;// CONCATENATED MODULE: ./src/cli/commands/index.ts






/** Every leaf command, in the order --help lists them. */
const COMMANDS = [
    describeComponentCommand,
    describeStacksCommand,
    listStacksCommand,
    listComponentsCommand,
    matrixCommand,
    ...runCommands,
    ...workdirCommands,
    versionCommand,
];

;// CONCATENATED MODULE: ./src/cli/main.ts







function topHelp(commands) {
    const width = Math.max(...commands.map((c) => c.path.join(' ').length));
    const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
    return `atmos-action: run Terraform across Atmos component instances, in parallel and safely.

Usage: atmos-action <command> [flags]

Commands:
${lines.join('\n')}

${GLOBAL_HELP}

Run "atmos-action <command> --help" for a command's flags.
`;
}
function groupHelp(prefix, commands) {
    return topHelp(commands.filter((c) => prefix.every((w, i) => c.path[i] === w)));
}
/**
 * The CLI without its adapter: argv in, exit code out. Errors the user can fix print one clear
 * message (no stack trace unless --debug) and exit 1; usage errors exit 2.
 */
async function main(argv, ctx, commands = COMMANDS) {
    let words = commandWords(argv);
    let wantsHelp = argv.includes('--help') || argv.includes('-h');
    // `help [command]` is --help spelled as a command.
    if (words[0] === 'help') {
        words = words.slice(1);
        wantsHelp = true;
    }
    if (words.length === 0 && argv.includes('--version')) {
        ctx.stdout(`atmos-action ${VERSION}\n`);
        return 0;
    }
    const command = commands
        .filter((c) => c.path.every((w, i) => words[i] === w))
        .sort((a, b) => b.path.length - a.path.length)[0];
    if (!command) {
        const prefixMatches = commands.filter((c) => words.length > 0 && words.every((w, i) => c.path[i] === w));
        if (prefixMatches.length > 0) {
            ctx.stdout(groupHelp(words, commands));
            return wantsHelp ? 0 : 2;
        }
        if (words.length === 0) {
            ctx.stdout(topHelp(commands));
            return wantsHelp ? 0 : 2;
        }
        ctx.stderr(`error: ${unknownCommand(words, commands)}\nrun: atmos-action help\n`);
        return 2;
    }
    if (wantsHelp) {
        ctx.stdout(`${command.help}\n\n${GLOBAL_HELP}\n`);
        return 0;
    }
    const debug = ctx.debug || argv.includes('--debug');
    try {
        const args = parseCommandArgs(command, argv);
        const chdir = stringFlag(args.values.chdir);
        const cwd = chdir ? external_node_path_default().resolve(ctx.cwd, chdir) : ctx.cwd;
        if (chdir && !isDirectory(cwd))
            throw new UsageError(`-C/--chdir ${chdir}: ${external_node_fs_default().existsSync(cwd) ? 'is not a directory' : 'no such directory'} (${cwd})`);
        return await command.run(args, { ...ctx, cwd, debug });
    }
    catch (e) {
        if ((0,util_errors/* isAtmosError */.rX)(e)) {
            ctx.stderr(`error: ${e.describe(ctx.cwd)}\n`);
            if (debug && e.stack)
                ctx.stderr(`${e.stack}\n`);
            return e instanceof UsageError ? 2 : 1;
        }
        const err = e;
        ctx.stderr(`error: ${err?.message ?? String(e)}\n`);
        if (debug && err?.stack)
            ctx.stderr(`${err.stack}\n`);
        else
            ctx.stderr('(run with --debug for details)\n');
        return 1;
    }
}
/** `unknown command "x"`, with the closest commands: full paths for a near miss, else the first words. */
function unknownCommand(words, commands) {
    const typed = words.join(' ');
    const paths = commands.map((c) => c.path.join(' '));
    const known = commands.filter((c) => c.path.length > 1 && c.path[0] === words[0]);
    const hint = known.length
        ? didYouMean(typed, known.map((c) => c.path.join(' ')))
        : didYouMean(words[0], [...new Set(commands.map((c) => c.path[0]))]) || didYouMean(typed, paths);
    return `unknown command "${typed}"${hint}`;
}
function isDirectory(p) {
    try {
        return external_node_fs_default().statSync(p).isDirectory();
    }
    catch {
        return false;
    }
}


/***/ }),

/***/ 3810:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
/* unused harmony export fixedClock */
const systemClock = { now: () => new Date() };
function fixedClock(at) {
    let t = new Date(at).getTime();
    return {
        now: () => new Date(t),
        set: (d) => void (t = new Date(d).getTime()),
        advance: (ms) => void (t += ms),
    };
}


/***/ }),

/***/ 4145:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  U: () => (/* binding */ nodeExec)
});

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./src/ports/node-exec.ts

/** Splits a byte stream into lines for `onLine`, across chunk boundaries (and multi-byte characters). */
function lineSplitter(emit) {
    let pending = '';
    const decoder = new TextDecoder('utf8');
    return {
        push(b) {
            pending += decoder.decode(b, { stream: true });
            let nl = pending.indexOf('\n');
            while (nl !== -1) {
                emit(pending.slice(0, nl).replace(/\r$/, ''));
                pending = pending.slice(nl + 1);
                nl = pending.indexOf('\n');
            }
        },
        end() {
            pending += decoder.decode();
            if (pending)
                emit(pending.replace(/\r$/, ''));
            pending = '';
        },
    };
}
/** Sends `sig` to the child's whole process group (helpers it started included), or to the child alone. */
function killGroup(pid, sig, fallback) {
    try {
        if (pid === undefined)
            throw new Error('no pid');
        process.kill(-pid, sig);
    }
    catch {
        fallback(); // the group is gone already, or was never made
    }
}
/** Exec adapter over child_process.spawn (no shell: argv is passed as is). */
const nodeExec = {
    run(command, args, options = {}) {
        return new Promise((resolve, reject) => {
            const withInput = options.input !== undefined;
            const killSignal = options.killSignal ?? 'SIGTERM';
            if (options.signal?.aborted) {
                resolve({ code: null, signal: killSignal, stdout: '', stderr: '' });
                return;
            }
            const abortable = options.signal !== undefined || options.forceSignal !== undefined;
            const child = (0,external_node_child_process_namespaceObject.spawn)(command, [...args], {
                cwd: options.cwd,
                env: options.env,
                // stdin stays closed unless there is input: a child that exits early must not raise EPIPE here.
                stdio: [withInput ? 'pipe' : 'ignore', 'pipe', 'pipe'],
                shell: false,
                // Its own process group, so an abort also reaches the helpers it started (git-remote-https, ssh,
                // terraform's provider plugins), which would otherwise keep running and hold the output pipes open.
                detached: abortable,
            });
            const out = [];
            const err = [];
            const onLine = options.onLine;
            const lines = onLine ? { stdout: lineSplitter((l) => onLine('stdout', l)), stderr: lineSplitter((l) => onLine('stderr', l)) } : undefined;
            let sentSignal;
            const send = (sig) => () => {
                sentSignal = sig;
                killGroup(child.pid, sig, () => child.kill(sig));
            };
            const onAbort = send(killSignal);
            const onForce = send('SIGKILL');
            options.signal?.addEventListener('abort', onAbort, { once: true });
            options.forceSignal?.addEventListener('abort', onForce, { once: true });
            const detach = () => {
                options.signal?.removeEventListener('abort', onAbort);
                options.forceSignal?.removeEventListener('abort', onForce);
            };
            let settled = false;
            const done = (code, signal) => {
                if (settled)
                    return;
                settled = true;
                detach();
                lines?.stdout.end();
                lines?.stderr.end();
                resolve({
                    code: signal ? null : code,
                    signal: signal ?? (code === null ? (sentSignal ?? null) : null),
                    stdout: Buffer.concat(out).toString('utf8'),
                    stderr: Buffer.concat(err).toString('utf8'),
                });
            };
            child.stdout.on('data', (b) => {
                out.push(b);
                lines?.stdout.push(b);
            });
            child.stderr.on('data', (b) => {
                err.push(b);
                lines?.stderr.push(b);
            });
            child.on('error', (e) => {
                detach();
                reject(e);
            });
            // After a signal was sent, 'exit' is enough: a grandchild that escaped the group must not keep us waiting on the pipes.
            child.on('exit', (code, signal) => {
                if (sentSignal) {
                    child.stdout.destroy();
                    child.stderr.destroy();
                    done(code, signal);
                }
            });
            child.on('close', done);
            if (withInput) {
                child.stdin.on('error', () => { }); // the child may exit before reading; its exit code tells the story
                child.stdin.end(options.input);
            }
        });
    },
};


/***/ }),

/***/ 17:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Gt: () => (/* binding */ displayPath),
/* harmony export */   KO: () => (/* binding */ ErrorCollector),
/* harmony export */   f7: () => (/* binding */ AtmosError),
/* harmony export */   rX: () => (/* binding */ isAtmosError)
/* harmony export */ });
/* unused harmony exports InstanceError, InfrastructureError, errorKind, ConfigurationErrors */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);

/**
 * A user-facing error. Entry points print `message` (plus the location and import chain) and
 * exit 1 without a stack trace unless --debug is on. `kind` defaults to `configuration`.
 */
class AtmosError extends Error {
    kind;
    file;
    line;
    /** Import chain from the top-level manifest down to `file`. */
    chain;
    constructor(message, where = {}) {
        super(message, where.cause === undefined ? undefined : { cause: where.cause });
        this.name = 'AtmosError';
        this.kind = where.kind ?? 'configuration';
        this.file = where.file;
        this.line = where.line;
        this.chain = where.chain ?? [];
    }
    /**
     * One readable block: `file:line: message` followed by the import chain, if any. Paths under
     * `relativeTo` (the user's working directory) are shown relative to it.
     */
    describe(relativeTo) {
        const show = (p) => displayPath(p, relativeTo);
        const loc = this.file ? `${show(this.file)}${this.line ? `:${this.line}` : ''}: ` : '';
        const alreadyNamed = this.file !== undefined && this.message.includes(this.file);
        let out = alreadyNamed ? this.message : `${loc}${this.message}`;
        if (this.chain.length > 1)
            out += `\n  import chain: ${this.chain.map(show).join(' → ')}`;
        // Paths inside the message (a list of places, say) read relative too.
        return relativeTo ? out.split(`${node_path__WEBPACK_IMPORTED_MODULE_0___default().resolve(relativeTo)}${(node_path__WEBPACK_IMPORTED_MODULE_0___default().sep)}`).join('') : out;
    }
}
/** `p` relative to `base` when it lies under it, else unchanged. */
function displayPath(p, base) {
    if (!base)
        return p;
    const rel = node_path__WEBPACK_IMPORTED_MODULE_0___default().relative(base, p);
    return rel && !rel.startsWith('..') && !node_path__WEBPACK_IMPORTED_MODULE_0___default().isAbsolute(rel) ? rel : p;
}
/** One instance failed (its dependents are skipped; independent instances go on). */
class InstanceError extends AtmosError {
    constructor(message, where = {}) {
        super(message, { ...where, kind: 'instance' });
        this.name = 'InstanceError';
    }
}
/** A service around the run is unavailable (cache, GitHub API): callers warn and continue. */
class InfrastructureError extends AtmosError {
    constructor(message, where = {}) {
        super(message, { ...where, kind: 'infrastructure' });
        this.name = 'InfrastructureError';
    }
}
/** The kind of any thrown value: AtmosErrors carry theirs; anything else is a failure of the work at hand. */
function errorKind(e) {
    return e instanceof AtmosError ? e.kind : 'instance';
}
function isAtmosError(e) {
    return e instanceof AtmosError;
}
/**
 * Every configuration error of one run, reported together so a user fixes them in one pass.
 * `errors` are distinct (the same file, line and message is listed once).
 */
class ConfigurationErrors extends AtmosError {
    errors;
    constructor(errors) {
        super(`${errors.length} configuration errors:\n${errors.map((e) => e.describe()).join('\n')}`);
        this.name = 'ConfigurationErrors';
        this.errors = errors;
    }
    describe(relativeTo) {
        const blocks = this.errors.map((e) => e.describe(relativeTo));
        return `${blocks.length} configuration errors:\n${blocks.map((b, i) => `${i + 1}. ${b.replace(/\n/g, '\n   ')}`).join('\n')}`;
    }
}
/** Collects AtmosErrors (once each); anything else is a bug and propagates. */
class ErrorCollector {
    seen = new Map();
    /** Runs `fn`; an AtmosError it throws is recorded and `undefined` returned. */
    attempt(fn) {
        try {
            return fn();
        }
        catch (e) {
            if (e instanceof ConfigurationErrors)
                e.errors.forEach((x) => this.add(x));
            else if (e instanceof AtmosError)
                this.add(e);
            else
                throw e;
            return undefined;
        }
    }
    add(e) {
        const key = `${e.file ?? ''}\u0000${e.line ?? ''}\u0000${e.message}`;
        if (!this.seen.has(key))
            this.seen.set(key, e);
    }
    get size() {
        return this.seen.size;
    }
    /** Throws the one error, or all of them together; does nothing when none were recorded. */
    throwIfAny() {
        const all = [...this.seen.values()];
        if (all.length === 1)
            throw all[0];
        if (all.length > 1)
            throw new ConfigurationErrors(all);
    }
}


/***/ }),

/***/ 8854:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   b4: () => (/* binding */ CONTROL_CHAR),
/* harmony export */   d5: () => (/* binding */ refuseControlChars),
/* harmony export */   sN: () => (/* binding */ logSafe),
/* harmony export */   vp: () => (/* binding */ showValue)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(17);
/**
 * Text from YAML (source URIs, refs, names) and from git reaches log lines that the GitHub runner
 * parses: a line that starts with `::` (after leading blanks) is a workflow command (`::add-mask::`,
 * `::error::`, the old `::set-output`), and `##[` anywhere on a line is the older command form. A
 * carriage return, a Unicode line separator or an ESC sequence can also forge or hide what the
 * user reads. So such values are refused where they enter (refuseControlChars), and every line the
 * log adapters print goes through logSafe.
 */

/**
 * C0 controls (NUL…US, so CR, LF, ESC, tab), DEL, C1 controls (including NEL U+0085) and the
 * Unicode line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_G = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const escapeChar = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
/** A value quoted for a message, every control character written as `\uXXXX` so it can neither break nor hide a line. */
function showValue(value) {
    return `"${value.replace(/["\\]/g, (c) => `\\${c}`).replace(CONTROL_CHARS_G, escapeChar)}"`;
}
/** Refuses a value from YAML that holds a control character; `what` names the value and the instance. */
function refuseControlChars(value, what) {
    if (CONTROL_CHAR.test(value)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AtmosError */ .f7(`${what} ${showValue(value)} contains a control character (line breaks, escape sequences and the like are not allowed)`);
    }
}
/**
 * What a log adapter prints for `message`: line feeds stay (messages may span lines), tabs stay,
 * every other control character becomes a visible `\uXXXX`, a line that the runner would read as a
 * workflow command gets `» ` in front, and `##[` becomes `# #[`.
 */
function logSafe(message) {
    // eslint-disable-next-line no-control-regex
    const visible = message.replace(/\r\n/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, escapeChar);
    return visible
        .split('\n')
        .map((line) => (/^\s*::/.test(line) ? `» ${line}` : line).replace(/##\[/g, '# #['))
        .join('\n');
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 9140:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("constants");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 7349:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveBlockMap = __nccwpck_require__(7103);
var resolveBlockSeq = __nccwpck_require__(334);
var resolveFlowCollection = __nccwpck_require__(3142);

function resolveCollection(CN, ctx, token, onError, tagName, tag) {
    const coll = token.type === 'block-map'
        ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag)
        : token.type === 'block-seq'
            ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag)
            : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
    const Coll = coll.constructor;
    // If we got a tagName matching the class, or the tag name is '!',
    // then use the tagName from the node class used to create it.
    if (tagName === '!' || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
    }
    if (tagName)
        coll.tag = tagName;
    return coll;
}
function composeCollection(CN, ctx, token, props, onError) {
    const tagToken = props.tag;
    const tagName = !tagToken
        ? null
        : ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg));
    if (token.type === 'block-seq') {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken
            ? anchor.offset > tagToken.offset
                ? anchor
                : tagToken
            : (anchor ?? tagToken);
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
            const message = 'Missing newline after block sequence props';
            onError(lastProp, 'MISSING_CHAR', message);
        }
    }
    const expType = token.type === 'block-map'
        ? 'map'
        : token.type === 'block-seq'
            ? 'seq'
            : token.start.source === '{'
                ? 'map'
                : 'seq';
    // shortcut: check if it's a generic YAMLMap or YAMLSeq
    // before jumping into the custom tag logic.
    if (!tagToken ||
        !tagName ||
        tagName === '!' ||
        (tagName === YAMLMap.YAMLMap.tagName && expType === 'map') ||
        (tagName === YAMLSeq.YAMLSeq.tagName && expType === 'seq')) {
        return resolveCollection(CN, ctx, token, onError, tagName);
    }
    let tag = ctx.schema.tags.find(t => t.tag === tagName && t.collection === expType);
    if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
            ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
            tag = kt;
        }
        else {
            if (kt) {
                onError(tagToken, 'BAD_COLLECTION_TYPE', `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? 'scalar'}`, true);
            }
            else {
                onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, true);
            }
            return resolveCollection(CN, ctx, token, onError, tagName);
        }
    }
    const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
    const res = tag.resolve?.(coll, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg), ctx.options) ?? coll;
    const node = identity.isNode(res)
        ? res
        : new Scalar.Scalar(res);
    node.range = coll.range;
    node.tag = tagName;
    if (tag?.format)
        node.format = tag.format;
    return node;
}

exports.composeCollection = composeCollection;


/***/ }),

/***/ 3683:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Document = __nccwpck_require__(3021);
var composeNode = __nccwpck_require__(5937);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);

function composeDoc(options, directives, { offset, start, value, end }, onError) {
    const opts = Object.assign({ _directives: directives }, options);
    const doc = new Document.Document(undefined, opts);
    const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
    };
    const props = resolveProps.resolveProps(start, {
        indicator: 'doc-start',
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
    });
    if (props.found) {
        doc.directives.docStart = true;
        if (value &&
            (value.type === 'block-map' || value.type === 'block-seq') &&
            !props.hasNewline)
            onError(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
    }
    // @ts-expect-error If Contents is set, let's trust the user
    doc.contents = value
        ? composeNode.composeNode(ctx, value, props, onError)
        : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
    const contentEnd = doc.contents.range[2];
    const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
    if (re.comment)
        doc.comment = re.comment;
    doc.range = [offset, contentEnd, re.offset];
    return doc;
}

exports.composeDoc = composeDoc;


/***/ }),

/***/ 5937:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var composeCollection = __nccwpck_require__(7349);
var composeScalar = __nccwpck_require__(5413);
var resolveEnd = __nccwpck_require__(7788);
var utilEmptyScalarPosition = __nccwpck_require__(2599);

const CN = { composeNode, composeEmptyNode };
function composeNode(ctx, token, props, onError) {
    const atKey = ctx.atKey;
    const { spaceBefore, comment, anchor, tag } = props;
    let node;
    let isSrcToken = true;
    switch (token.type) {
        case 'alias':
            node = composeAlias(ctx, token, onError);
            if (anchor || tag)
                onError(token, 'ALIAS_PROPS', 'An alias node must not specify any properties');
            break;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
            node = composeScalar.composeScalar(ctx, token, tag, onError);
            if (anchor)
                node.anchor = anchor.source.substring(1);
            break;
        case 'block-map':
        case 'block-seq':
        case 'flow-collection':
            try {
                node = composeCollection.composeCollection(CN, ctx, token, props, onError);
                if (anchor)
                    node.anchor = anchor.source.substring(1);
            }
            catch (error) {
                // Almost certainly here due to a stack overflow
                const message = error instanceof Error ? error.message : String(error);
                onError(token, 'RESOURCE_EXHAUSTION', message);
            }
            break;
        default: {
            const message = token.type === 'error'
                ? token.message
                : `Unsupported token (type: ${token.type})`;
            onError(token, 'UNEXPECTED_TOKEN', message);
            isSrcToken = false;
        }
    }
    node ?? (node = composeEmptyNode(ctx, token.offset, undefined, null, props, onError));
    if (anchor && node.anchor === '')
        onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    if (atKey &&
        ctx.options.stringKeys &&
        (!identity.isScalar(node) ||
            typeof node.value !== 'string' ||
            (node.tag && node.tag !== 'tag:yaml.org,2002:str'))) {
        const msg = 'With stringKeys, all keys must be strings';
        onError(tag ?? token, 'NON_STRING_KEY', msg);
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        if (token.type === 'scalar' && token.source === '')
            node.comment = comment;
        else
            node.commentBefore = comment;
    }
    // @ts-expect-error Type checking misses meaning of isSrcToken
    if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
    return node;
}
function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
    const token = {
        type: 'scalar',
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ''
    };
    const node = composeScalar.composeScalar(ctx, token, tag, onError);
    if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === '')
            onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        node.comment = comment;
        node.range[2] = end;
    }
    return node;
}
function composeAlias({ options }, { offset, source, end }, onError) {
    const alias = new Alias.Alias(source.substring(1));
    if (alias.source === '')
        onError(offset, 'BAD_ALIAS', 'Alias cannot be an empty string');
    if (alias.source.endsWith(':'))
        onError(offset + source.length - 1, 'BAD_ALIAS', 'Alias ending in : is ambiguous', true);
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
    alias.range = [offset, valueEnd, re.offset];
    if (re.comment)
        alias.comment = re.comment;
    return alias;
}

exports.composeEmptyNode = composeEmptyNode;
exports.composeNode = composeNode;


/***/ }),

/***/ 5413:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);

function composeScalar(ctx, token, tagToken, onError) {
    const { value, type, comment, range } = token.type === 'block-scalar'
        ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError)
        : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
    const tagName = tagToken
        ? ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg))
        : null;
    let tag;
    if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
    }
    else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
    else if (token.type === 'scalar')
        tag = findScalarTagByTest(ctx, value, token, onError);
    else
        tag = ctx.schema[identity.SCALAR];
    let scalar;
    try {
        const res = tag.resolve(value, msg => onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
    }
    catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg);
        scalar = new Scalar.Scalar(value);
    }
    scalar.range = range;
    scalar.source = value;
    if (type)
        scalar.type = type;
    if (tagName)
        scalar.tag = tagName;
    if (tag.format)
        scalar.format = tag.format;
    if (comment)
        scalar.comment = comment;
    return scalar;
}
function findScalarTagByName(schema, value, tagName, tagToken, onError) {
    if (tagName === '!')
        return schema[identity.SCALAR]; // non-specific tag
    const matchWithTest = [];
    for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
            if (tag.default && tag.test)
                matchWithTest.push(tag);
            else
                return tag;
        }
    }
    for (const tag of matchWithTest)
        if (tag.test?.test(value))
            return tag;
    const kt = schema.knownTags[tagName];
    if (kt && !kt.collection) {
        // Ensure that the known tag is available for stringifying,
        // but does not get used by default.
        schema.tags.push(Object.assign({}, kt, { default: false, test: undefined }));
        return kt;
    }
    onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, tagName !== 'tag:yaml.org,2002:str');
    return schema[identity.SCALAR];
}
function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
    const tag = schema.tags.find(tag => (tag.default === true || (atKey && tag.default === 'key')) &&
        tag.test?.test(value)) || schema[identity.SCALAR];
    if (schema.compat) {
        const compat = schema.compat.find(tag => tag.default && tag.test?.test(value)) ??
            schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
            const ts = directives.tagString(tag.tag);
            const cs = directives.tagString(compat.tag);
            const msg = `Value may be parsed as either ${ts} or ${cs}`;
            onError(token, 'TAG_RESOLVE_FAILED', msg, true);
        }
    }
    return tag;
}

exports.composeScalar = composeScalar;


/***/ }),

/***/ 9984:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var directives = __nccwpck_require__(1342);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var identity = __nccwpck_require__(1127);
var composeDoc = __nccwpck_require__(3683);
var resolveEnd = __nccwpck_require__(7788);

function getErrorPos(src) {
    if (typeof src === 'number')
        return [src, src + 1];
    if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
    const { offset, source } = src;
    return [offset, offset + (typeof source === 'string' ? source.length : 1)];
}
function parsePrelude(prelude) {
    let comment = '';
    let atComment = false;
    let afterEmptyLine = false;
    for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
            case '#':
                comment +=
                    (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') +
                        (source.substring(1) || ' ');
                atComment = true;
                afterEmptyLine = false;
                break;
            case '%':
                if (prelude[i + 1]?.[0] !== '#')
                    i += 1;
                atComment = false;
                break;
            default:
                // This may be wrong after doc-end, but in that case it doesn't matter
                if (!atComment)
                    afterEmptyLine = true;
                atComment = false;
        }
    }
    return { comment, afterEmptyLine };
}
/**
 * Compose a stream of CST nodes into a stream of YAML Documents.
 *
 * ```ts
 * import { Composer, Parser } from 'yaml'
 *
 * const src: string = ...
 * const tokens = new Parser().parse(src)
 * const docs = new Composer().compose(tokens)
 * ```
 */
class Composer {
    constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning) => {
            const pos = getErrorPos(source);
            if (warning)
                this.warnings.push(new errors.YAMLWarning(pos, code, message));
            else
                this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        this.directives = new directives.Directives({ version: options.version || '1.2' });
        this.options = options;
    }
    decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        //console.log({ dc: doc.comment, prelude, comment })
        if (comment) {
            const dc = doc.contents;
            if (afterDoc) {
                doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
            }
            else if (afterEmptyLine || doc.directives.docStart || !dc) {
                doc.commentBefore = comment;
            }
            else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
                let it = dc.items[0];
                if (identity.isPair(it))
                    it = it.key;
                const cb = it.commentBefore;
                it.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
            else {
                const cb = dc.commentBefore;
                dc.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
        }
        if (afterDoc) {
            for (let i = 0; i < this.errors.length; ++i)
                doc.errors.push(this.errors[i]);
            for (let i = 0; i < this.warnings.length; ++i)
                doc.warnings.push(this.warnings[i]);
        }
        else {
            doc.errors = this.errors;
            doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
    }
    /**
     * Current stream status information.
     *
     * Mostly useful at the end of input for an empty stream.
     */
    streamInfo() {
        return {
            comment: parsePrelude(this.prelude).comment,
            directives: this.directives,
            errors: this.errors,
            warnings: this.warnings
        };
    }
    /**
     * Compose tokens into documents.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
            yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
    }
    /** Advance the composer by one CST token. */
    *next(token) {
        if (node_process.env.LOG_STREAM)
            console.dir(token, { depth: null });
        switch (token.type) {
            case 'directive':
                this.directives.add(token.source, (offset, message, warning) => {
                    const pos = getErrorPos(token);
                    pos[0] += offset;
                    this.onError(pos, 'BAD_DIRECTIVE', message, warning);
                });
                this.prelude.push(token.source);
                this.atDirectives = true;
                break;
            case 'document': {
                const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
                if (this.atDirectives && !doc.directives.docStart)
                    this.onError(token, 'MISSING_CHAR', 'Missing directives-end/doc-start indicator line');
                this.decorate(doc, false);
                if (this.doc)
                    yield this.doc;
                this.doc = doc;
                this.atDirectives = false;
                break;
            }
            case 'byte-order-mark':
            case 'space':
                break;
            case 'comment':
            case 'newline':
                this.prelude.push(token.source);
                break;
            case 'error': {
                const msg = token.source
                    ? `${token.message}: ${JSON.stringify(token.source)}`
                    : token.message;
                const error = new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg);
                if (this.atDirectives || !this.doc)
                    this.errors.push(error);
                else
                    this.doc.errors.push(error);
                break;
            }
            case 'doc-end': {
                if (!this.doc) {
                    const msg = 'Unexpected doc-end without preceding document';
                    this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg));
                    break;
                }
                this.doc.directives.docEnd = true;
                const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
                this.decorate(this.doc, true);
                if (end.comment) {
                    const dc = this.doc.comment;
                    this.doc.comment = dc ? `${dc}\n${end.comment}` : end.comment;
                }
                this.doc.range[2] = end.offset;
                break;
            }
            default:
                this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', `Unsupported token ${token.type}`));
        }
    }
    /**
     * Call at end of input to yield any remaining document.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
            this.decorate(this.doc, true);
            yield this.doc;
            this.doc = null;
        }
        else if (forceDoc) {
            const opts = Object.assign({ _directives: this.directives }, this.options);
            const doc = new Document.Document(undefined, opts);
            if (this.atDirectives)
                this.onError(endOffset, 'MISSING_CHAR', 'Missing directives-end indicator line');
            doc.range = [0, endOffset, endOffset];
            this.decorate(doc, false);
            yield doc;
        }
    }
}

exports.Composer = Composer;


/***/ }),

/***/ 7103:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilFlowIndentCheck = __nccwpck_require__(4051);
var utilMapIncludes = __nccwpck_require__(1187);

const startColMsg = 'All mapping items must start at the same column';
function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
    const map = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    let offset = bm.offset;
    let commentEnd = null;
    for (const collItem of bm.items) {
        const { start, key, sep, value } = collItem;
        // key properties
        const keyProps = resolveProps.resolveProps(start, {
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: bm.indent,
            startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
            if (key) {
                if (key.type === 'block-seq')
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
                else if ('indent' in key && key.indent !== bm.indent)
                    onError(offset, 'BAD_INDENT', startColMsg);
            }
            if (!keyProps.anchor && !keyProps.tag && !sep) {
                commentEnd = keyProps.end;
                if (keyProps.comment) {
                    if (map.comment)
                        map.comment += '\n' + keyProps.comment;
                    else
                        map.comment = keyProps.comment;
                }
                continue;
            }
            if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
                onError(key ?? start[start.length - 1], 'MULTILINE_IMPLICIT_KEY', 'Implicit keys need to be on a single line');
            }
        }
        else if (keyProps.found?.indent !== bm.indent) {
            onError(offset, 'BAD_INDENT', startColMsg);
        }
        // key value
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key
            ? composeNode(ctx, key, keyProps, onError)
            : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
            onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
        // value properties
        const valueProps = resolveProps.resolveProps(sep ?? [], {
            indicator: 'map-value-ind',
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: bm.indent,
            startOnNewline: !key || key.type === 'block-scalar'
        });
        offset = valueProps.end;
        if (valueProps.found) {
            if (implicitKey) {
                if (value?.type === 'block-map' && !valueProps.hasNewline)
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
                if (ctx.options.strict &&
                    keyProps.start < valueProps.found.offset - 1024)
                    onError(keyNode.range, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key');
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
            if (ctx.schema.compat)
                utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
            offset = valueNode.range[2];
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
        else {
            // key with no value
            if (implicitKey)
                onError(keyNode.range, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
            if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
    }
    if (commentEnd && commentEnd < offset)
        onError(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
    map.range = [bm.offset, offset, commentEnd ?? offset];
    return map;
}

exports.resolveBlockMap = resolveBlockMap;


/***/ }),

/***/ 8913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function resolveBlockScalar(ctx, scalar, onError) {
    const start = scalar.offset;
    const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
    if (!header)
        return { value: '', type: null, comment: '', range: [start, start, start] };
    const type = header.mode === '>' ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
    const lines = scalar.source ? splitLines(scalar.source) : [];
    // determine the end of content & start of chomping
    let chompStart = lines.length;
    for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === '' || content === '\r')
            chompStart = i;
        else
            break;
    }
    // shortcut for empty contents
    if (chompStart === 0) {
        const value = header.chomp === '+' && lines.length > 0
            ? '\n'.repeat(Math.max(1, lines.length - 1))
            : '';
        let end = start + header.length;
        if (scalar.source)
            end += scalar.source.length;
        return { value, type, comment: header.comment, range: [start, end, end] };
    }
    // find the indentation level to trim from start
    let trimIndent = scalar.indent + header.indent;
    let offset = scalar.offset + header.length;
    let contentStart = 0;
    for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === '' || content === '\r') {
            if (header.indent === 0 && indent.length > trimIndent)
                trimIndent = indent.length;
        }
        else {
            if (indent.length < trimIndent) {
                const message = 'Block scalars with more-indented leading empty lines must use an explicit indentation indicator';
                onError(offset + indent.length, 'MISSING_CHAR', message);
            }
            if (header.indent === 0)
                trimIndent = indent.length;
            contentStart = i;
            if (trimIndent === 0 && !ctx.atRoot) {
                const message = 'Block scalar values in collections must be indented';
                onError(offset, 'BAD_INDENT', message);
            }
            break;
        }
        offset += indent.length + content.length + 1;
    }
    // include trailing more-indented empty lines in content
    for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
            chompStart = i + 1;
    }
    let value = '';
    let sep = '';
    let prevMoreIndented = false;
    // leading whitespace is kept intact
    for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + '\n';
    for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === '\r';
        if (crlf)
            content = content.slice(0, -1);
        /* istanbul ignore if already caught in lexer */
        if (content && indent.length < trimIndent) {
            const src = header.indent
                ? 'explicit indentation indicator'
                : 'first line';
            const message = `Block scalar lines must not be less indented than their ${src}`;
            onError(offset - content.length - (crlf ? 2 : 1), 'BAD_INDENT', message);
            indent = '';
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
        }
        else if (indent.length > trimIndent || content[0] === '\t') {
            // more-indented content within a folded block
            if (sep === ' ')
                sep = '\n';
            else if (!prevMoreIndented && sep === '\n')
                sep = '\n\n';
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
            prevMoreIndented = true;
        }
        else if (content === '') {
            // empty line
            if (sep === '\n')
                value += '\n';
            else
                sep = '\n';
        }
        else {
            value += sep + content;
            sep = ' ';
            prevMoreIndented = false;
        }
    }
    switch (header.chomp) {
        case '-':
            break;
        case '+':
            for (let i = chompStart; i < lines.length; ++i)
                value += '\n' + lines[i][0].slice(trimIndent);
            if (value[value.length - 1] !== '\n')
                value += '\n';
            break;
        default:
            value += '\n';
    }
    const end = start + header.length + scalar.source.length;
    return { value, type, comment: header.comment, range: [start, end, end] };
}
function parseBlockScalarHeader({ offset, props }, strict, onError) {
    /* istanbul ignore if should not happen */
    if (props[0].type !== 'block-scalar-header') {
        onError(props[0], 'IMPOSSIBLE', 'Block scalar header not found');
        return null;
    }
    const { source } = props[0];
    const mode = source[0];
    let indent = 0;
    let chomp = '';
    let error = -1;
    for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === '-' || ch === '+'))
            chomp = ch;
        else {
            const n = Number(ch);
            if (!indent && n)
                indent = n;
            else if (error === -1)
                error = offset + i;
        }
    }
    if (error !== -1)
        onError(error, 'UNEXPECTED_TOKEN', `Block scalar header includes extra characters: ${source}`);
    let hasSpace = false;
    let comment = '';
    let length = source.length;
    for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
            case 'space':
                hasSpace = true;
            // fallthrough
            case 'newline':
                length += token.source.length;
                break;
            case 'comment':
                if (strict && !hasSpace) {
                    const message = 'Comments must be separated from other tokens by white space characters';
                    onError(token, 'MISSING_CHAR', message);
                }
                length += token.source.length;
                comment = token.source.substring(1);
                break;
            case 'error':
                onError(token, 'UNEXPECTED_TOKEN', token.message);
                length += token.source.length;
                break;
            /* istanbul ignore next should not happen */
            default: {
                const message = `Unexpected token in block scalar header: ${token.type}`;
                onError(token, 'UNEXPECTED_TOKEN', message);
                const ts = token.source;
                if (ts && typeof ts === 'string')
                    length += ts.length;
            }
        }
    }
    return { mode, indent, chomp, comment, length };
}
/** @returns Array of lines split up as `[indent, content]` */
function splitLines(source) {
    const split = source.split(/\n( *)/);
    const first = split[0];
    const m = first.match(/^( *)/);
    const line0 = m?.[1]
        ? [m[1], first.slice(m[1].length)]
        : ['', first];
    const lines = [line0];
    for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
    return lines;
}

exports.resolveBlockScalar = resolveBlockScalar;


/***/ }),

/***/ 334:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var YAMLSeq = __nccwpck_require__(2223);
var resolveProps = __nccwpck_require__(4631);
var utilFlowIndentCheck = __nccwpck_require__(4051);

function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
    const seq = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = bs.offset;
    let commentEnd = null;
    for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
            indicator: 'seq-item-ind',
            next: value,
            offset,
            onError,
            parentIndent: bs.indent,
            startOnNewline: true
        });
        if (!props.found) {
            if (props.anchor || props.tag || value) {
                if (value?.type === 'block-seq')
                    onError(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
                else
                    onError(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
            }
            else {
                commentEnd = props.end;
                if (props.comment)
                    seq.comment = props.comment;
                continue;
            }
        }
        const node = value
            ? composeNode(ctx, value, props, onError)
            : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
    }
    seq.range = [bs.offset, offset, commentEnd ?? offset];
    return seq;
}

exports.resolveBlockSeq = resolveBlockSeq;


/***/ }),

/***/ 7788:
/***/ ((__unused_webpack_module, exports) => {



function resolveEnd(end, offset, reqSpace, onError) {
    let comment = '';
    if (end) {
        let hasSpace = false;
        let sep = '';
        for (const token of end) {
            const { source, type } = token;
            switch (type) {
                case 'space':
                    hasSpace = true;
                    break;
                case 'comment': {
                    if (reqSpace && !hasSpace)
                        onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                    const cb = source.substring(1) || ' ';
                    if (!comment)
                        comment = cb;
                    else
                        comment += sep + cb;
                    sep = '';
                    break;
                }
                case 'newline':
                    if (comment)
                        sep += source;
                    hasSpace = true;
                    break;
                default:
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${type} at node end`);
            }
            offset += source.length;
        }
    }
    return { comment, offset };
}

exports.resolveEnd = resolveEnd;


/***/ }),

/***/ 3142:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilMapIncludes = __nccwpck_require__(1187);

const blockMsg = 'Block collections are not allowed within flow collections';
const isBlock = (token) => token && (token.type === 'block-map' || token.type === 'block-seq');
function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
    const isMap = fc.start.source === '{';
    const fcName = isMap ? 'flow map' : 'flow sequence';
    const NodeClass = (tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq));
    const coll = new NodeClass(ctx.schema);
    coll.flow = true;
    const atRoot = ctx.atRoot;
    if (atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start, {
            flow: fcName,
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
        });
        if (!props.found) {
            if (!props.anchor && !props.tag && !sep && !value) {
                if (i === 0 && props.comma)
                    onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
                else if (i < fc.items.length - 1)
                    onError(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
                if (props.comment) {
                    if (coll.comment)
                        coll.comment += '\n' + props.comment;
                    else
                        coll.comment = props.comment;
                }
                offset = props.end;
                continue;
            }
            if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
                onError(key, // checked by containsNewline()
                'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
        }
        if (i === 0) {
            if (props.comma)
                onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
        }
        else {
            if (!props.comma)
                onError(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
            if (props.comment) {
                let prevItemComment = '';
                loop: for (const st of start) {
                    switch (st.type) {
                        case 'comma':
                        case 'space':
                            break;
                        case 'comment':
                            prevItemComment = st.source.substring(1);
                            break loop;
                        default:
                            break loop;
                    }
                }
                if (prevItemComment) {
                    let prev = coll.items[coll.items.length - 1];
                    if (identity.isPair(prev))
                        prev = prev.value ?? prev.key;
                    if (prev.comment)
                        prev.comment += '\n' + prevItemComment;
                    else
                        prev.comment = prevItemComment;
                    props.comment = props.comment.substring(prevItemComment.length + 1);
                }
            }
        }
        if (!isMap && !sep && !props.found) {
            // item is a value in a seq
            // → key & sep are empty, start does not include ? or :
            const valueNode = value
                ? composeNode(ctx, value, props, onError)
                : composeEmptyNode(ctx, props.end, sep, null, props, onError);
            coll.items.push(valueNode);
            offset = valueNode.range[2];
            if (isBlock(value))
                onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
        }
        else {
            // item is a key+value pair
            // key value
            ctx.atKey = true;
            const keyStart = props.end;
            const keyNode = key
                ? composeNode(ctx, key, props, onError)
                : composeEmptyNode(ctx, keyStart, start, null, props, onError);
            if (isBlock(key))
                onError(keyNode.range, 'BLOCK_IN_FLOW', blockMsg);
            ctx.atKey = false;
            // value properties
            const valueProps = resolveProps.resolveProps(sep ?? [], {
                flow: fcName,
                indicator: 'map-value-ind',
                next: value,
                offset: keyNode.range[2],
                onError,
                parentIndent: fc.indent,
                startOnNewline: false
            });
            if (valueProps.found) {
                if (!isMap && !props.found && ctx.options.strict) {
                    if (sep)
                        for (const st of sep) {
                            if (st === valueProps.found)
                                break;
                            if (st.type === 'newline') {
                                onError(st, 'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
                                break;
                            }
                        }
                    if (props.start < valueProps.found.offset - 1024)
                        onError(valueProps.found, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key');
                }
            }
            else if (value) {
                if ('source' in value && value.source?.[0] === ':')
                    onError(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
                else
                    onError(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : valueProps.found
                    ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError)
                    : null;
            if (valueNode) {
                if (isBlock(value))
                    onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
            }
            else if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            if (isMap) {
                const map = coll;
                if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
                    onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
                map.items.push(pair);
            }
            else {
                const map = new YAMLMap.YAMLMap(ctx.schema);
                map.flow = true;
                map.items.push(pair);
                const endRange = (valueNode ?? keyNode).range;
                map.range = [keyNode.range[0], endRange[1], endRange[2]];
                coll.items.push(map);
            }
            offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
    }
    const expectedEnd = isMap ? '}' : ']';
    const [ce, ...ee] = fc.end;
    let cePos = offset;
    if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
    else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot
            ? `${name} must end with a ${expectedEnd}`
            : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
        if (ce && ce.source.length !== 1)
            ee.unshift(ce);
    }
    if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
            if (coll.comment)
                coll.comment += '\n' + end.comment;
            else
                coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
    }
    else {
        coll.range = [fc.offset, cePos, cePos];
    }
    return coll;
}

exports.resolveFlowCollection = resolveFlowCollection;


/***/ }),

/***/ 6842:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var resolveEnd = __nccwpck_require__(7788);

function resolveFlowScalar(scalar, strict, onError) {
    const { offset, type, source, end } = scalar;
    let _type;
    let value;
    const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
    switch (type) {
        case 'scalar':
            _type = Scalar.Scalar.PLAIN;
            value = plainValue(source, _onError);
            break;
        case 'single-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_SINGLE;
            value = singleQuotedValue(source, _onError);
            break;
        case 'double-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_DOUBLE;
            value = doubleQuotedValue(source, _onError);
            break;
        /* istanbul ignore next should not happen */
        default:
            onError(scalar, 'UNEXPECTED_TOKEN', `Expected a flow scalar value, but found: ${type}`);
            return {
                value: '',
                type: null,
                comment: '',
                range: [offset, offset + source.length, offset + source.length]
            };
    }
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
    return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
    };
}
function plainValue(source, onError) {
    let badChar = '';
    switch (source[0]) {
        /* istanbul ignore next should not happen */
        case '\t':
            badChar = 'a tab character';
            break;
        case ',':
            badChar = 'flow indicator character ,';
            break;
        case '%':
            badChar = 'directive indicator character %';
            break;
        case '|':
        case '>': {
            badChar = `block scalar indicator ${source[0]}`;
            break;
        }
        case '@':
        case '`': {
            badChar = `reserved character ${source[0]}`;
            break;
        }
    }
    if (badChar)
        onError(0, 'BAD_SCALAR_START', `Plain value cannot start with ${badChar}`);
    return unfoldLines(source);
}
function singleQuotedValue(source, onError) {
    if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, 'MISSING_CHAR', "Missing closing 'quote");
    return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
}
function unfoldLines(source) {
    const line = /(.*?)\r?\n/sy;
    let match = line.exec(source);
    if (!match)
        return source;
    /**
     * The negative lookbehinds in these RegExps are to
     * prevent causing a polynomial search time in certain cases.
     *
     * The try-catch is for Safari < 16.4 and other old browsers:
     * https://caniuse.com/js-regexp-lookbehind
     */
    let trimEnd, trimBoth;
    try {
        trimEnd = new RegExp('(?<![ \t])[ \t]+$');
        trimBoth = new RegExp('^[ \t]+|(?<![ \t])[ \t]+$', 'g');
    }
    catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
    }
    let res = match[1].replace(trimEnd, '');
    let sep = ' ';
    let pos = line.lastIndex;
    while ((match = line.exec(source))) {
        const lm = match[1].replace(trimBoth, '');
        if (lm === '') {
            if (sep === '\n')
                res += sep;
            else
                sep = '\n';
        }
        else {
            res += sep + lm;
            sep = ' ';
        }
        pos = line.lastIndex;
    }
    const last = /[ \t]*(.*)/sy;
    last.lastIndex = pos;
    match = last.exec(source);
    return res + sep + (match?.[1] ?? '');
}
function doubleQuotedValue(source, onError) {
    let res = '';
    for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === '\r' && source[i + 1] === '\n')
            continue;
        if (ch === '\n') {
            const { fold, offset } = foldNewline(source, i);
            res += fold;
            i = offset;
        }
        else if (ch === '\\') {
            let next = source[++i];
            const cc = escapeCodes[next];
            if (cc)
                res += cc;
            else if (next === '\n') {
                // skip escaped newlines, but still trim the following line
                next = source[i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === '\r' && source[i + 1] === '\n') {
                // skip escaped CRLF newlines, but still trim the following line
                next = source[++i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === 'x' || next === 'u' || next === 'U') {
                const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
                res += parseCharCode(source, i + 1, length, onError);
                i += length;
            }
            else {
                const raw = source.substr(i - 1, 2);
                onError(i - 1, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
                res += raw;
            }
        }
        else if (ch === ' ' || ch === '\t') {
            // trim trailing whitespace
            const wsStart = i;
            let next = source[i + 1];
            while (next === ' ' || next === '\t')
                next = source[++i + 1];
            if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
                res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        }
        else {
            res += ch;
        }
    }
    if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, 'MISSING_CHAR', 'Missing closing "quote');
    return res;
}
/**
 * Fold a single newline into a space, multiple newlines to N - 1 newlines.
 * Presumes `source[offset] === '\n'`
 */
function foldNewline(source, offset) {
    let fold = '';
    let ch = source[offset + 1];
    while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        if (ch === '\r' && source[offset + 2] !== '\n')
            break;
        if (ch === '\n')
            fold += '\n';
        offset += 1;
        ch = source[offset + 1];
    }
    if (!fold)
        fold = ' ';
    return { fold, offset };
}
const escapeCodes = {
    '0': '\0', // null character
    a: '\x07', // bell character
    b: '\b', // backspace
    e: '\x1b', // escape character
    f: '\f', // form feed
    n: '\n', // line feed
    r: '\r', // carriage return
    t: '\t', // horizontal tab
    v: '\v', // vertical tab
    N: '\u0085', // Unicode next line
    _: '\u00a0', // Unicode non-breaking space
    L: '\u2028', // Unicode line separator
    P: '\u2029', // Unicode paragraph separator
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    '\t': '\t'
};
function parseCharCode(source, offset, length, onError) {
    const cc = source.substr(offset, length);
    const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
    const code = ok ? parseInt(cc, 16) : NaN;
    try {
        return String.fromCodePoint(code);
    }
    catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
        return raw;
    }
}

exports.resolveFlowScalar = resolveFlowScalar;


/***/ }),

/***/ 4631:
/***/ ((__unused_webpack_module, exports) => {



function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
    let spaceBefore = false;
    let atNewline = startOnNewline;
    let hasSpace = startOnNewline;
    let comment = '';
    let commentSep = '';
    let hasNewline = false;
    let reqSpace = false;
    let tab = null;
    let anchor = null;
    let tag = null;
    let newlineAfterProp = null;
    let comma = null;
    let found = null;
    let start = null;
    for (const token of tokens) {
        if (reqSpace) {
            if (token.type !== 'space' &&
                token.type !== 'newline' &&
                token.type !== 'comma')
                onError(token.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
            reqSpace = false;
        }
        if (tab) {
            if (atNewline && token.type !== 'comment' && token.type !== 'newline') {
                onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
            }
            tab = null;
        }
        switch (token.type) {
            case 'space':
                // At the doc level, tabs at line start may be parsed
                // as leading white space rather than indentation.
                // In a flow collection, only the parser handles indent.
                if (!flow &&
                    (indicator !== 'doc-start' || next?.type !== 'flow-collection') &&
                    token.source.includes('\t')) {
                    tab = token;
                }
                hasSpace = true;
                break;
            case 'comment': {
                if (!hasSpace)
                    onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                const cb = token.source.substring(1) || ' ';
                if (!comment)
                    comment = cb;
                else
                    comment += commentSep + cb;
                commentSep = '';
                atNewline = false;
                break;
            }
            case 'newline':
                if (atNewline) {
                    if (comment)
                        comment += token.source;
                    else if (!found || indicator !== 'seq-item-ind')
                        spaceBefore = true;
                }
                else
                    commentSep += token.source;
                atNewline = true;
                hasNewline = true;
                if (anchor || tag)
                    newlineAfterProp = token;
                hasSpace = true;
                break;
            case 'anchor':
                if (anchor)
                    onError(token, 'MULTIPLE_ANCHORS', 'A node can have at most one anchor');
                if (token.source.endsWith(':'))
                    onError(token.offset + token.source.length - 1, 'BAD_ALIAS', 'Anchor ending in : is ambiguous', true);
                anchor = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            case 'tag': {
                if (tag)
                    onError(token, 'MULTIPLE_TAGS', 'A node can have at most one tag');
                tag = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            }
            case indicator:
                // Could here handle preceding comments differently
                if (anchor || tag)
                    onError(token, 'BAD_PROP_ORDER', `Anchors and tags must be after the ${token.source} indicator`);
                if (found)
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.source} in ${flow ?? 'collection'}`);
                found = token;
                atNewline =
                    indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
                hasSpace = false;
                break;
            case 'comma':
                if (flow) {
                    if (comma)
                        onError(token, 'UNEXPECTED_TOKEN', `Unexpected , in ${flow}`);
                    comma = token;
                    atNewline = false;
                    hasSpace = false;
                    break;
                }
            // else fallthrough
            default:
                onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.type} token`);
                atNewline = false;
                hasSpace = false;
        }
    }
    const last = tokens[tokens.length - 1];
    const end = last ? last.offset + last.source.length : offset;
    if (reqSpace &&
        next &&
        next.type !== 'space' &&
        next.type !== 'newline' &&
        next.type !== 'comma' &&
        (next.type !== 'scalar' || next.source !== '')) {
        onError(next.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
    }
    if (tab &&
        ((atNewline && tab.indent <= parentIndent) ||
            next?.type === 'block-map' ||
            next?.type === 'block-seq'))
        onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
    return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
    };
}

exports.resolveProps = resolveProps;


/***/ }),

/***/ 9499:
/***/ ((__unused_webpack_module, exports) => {



function containsNewline(key) {
    if (!key)
        return null;
    switch (key.type) {
        case 'alias':
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            if (key.source.includes('\n'))
                return true;
            if (key.end)
                for (const st of key.end)
                    if (st.type === 'newline')
                        return true;
            return false;
        case 'flow-collection':
            for (const it of key.items) {
                for (const st of it.start)
                    if (st.type === 'newline')
                        return true;
                if (it.sep)
                    for (const st of it.sep)
                        if (st.type === 'newline')
                            return true;
                if (containsNewline(it.key) || containsNewline(it.value))
                    return true;
            }
            return false;
        default:
            return true;
    }
}

exports.containsNewline = containsNewline;


/***/ }),

/***/ 2599:
/***/ ((__unused_webpack_module, exports) => {



function emptyScalarPosition(offset, before, pos) {
    if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
            let st = before[i];
            switch (st.type) {
                case 'space':
                case 'comment':
                case 'newline':
                    offset -= st.source.length;
                    continue;
            }
            // Technically, an empty scalar is immediately after the last non-empty
            // node, but it's more useful to place it after any whitespace.
            st = before[++i];
            while (st?.type === 'space') {
                offset += st.source.length;
                st = before[++i];
            }
            break;
        }
    }
    return offset;
}

exports.emptyScalarPosition = emptyScalarPosition;


/***/ }),

/***/ 4051:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var utilContainsNewline = __nccwpck_require__(9499);

function flowIndentCheck(indent, fc, onError) {
    if (fc?.type === 'flow-collection') {
        const end = fc.end[0];
        if (end.indent === indent &&
            (end.source === ']' || end.source === '}') &&
            utilContainsNewline.containsNewline(fc)) {
            const msg = 'Flow end indicator should be more indented than parent';
            onError(end, 'BAD_INDENT', msg, true);
        }
    }
}

exports.flowIndentCheck = flowIndentCheck;


/***/ }),

/***/ 1187:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

function mapIncludes(ctx, items, search) {
    const { uniqueKeys } = ctx.options;
    if (uniqueKeys === false)
        return false;
    const isEqual = typeof uniqueKeys === 'function'
        ? uniqueKeys
        : (a, b) => a === b || (identity.isScalar(a) && identity.isScalar(b) && a.value === b.value);
    return items.some(pair => isEqual(pair.key, search));
}

exports.mapIncludes = mapIncludes;


/***/ }),

/***/ 3021:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var toJS = __nccwpck_require__(4043);
var Schema = __nccwpck_require__(5840);
var stringifyDocument = __nccwpck_require__(6829);
var anchors = __nccwpck_require__(1596);
var applyReviver = __nccwpck_require__(3661);
var createNode = __nccwpck_require__(2404);
var directives = __nccwpck_require__(1342);

class Document {
    constructor(value, replacer, options) {
        /** A comment before this Document */
        this.commentBefore = null;
        /** A comment immediately after this Document */
        this.comment = null;
        /** Errors encountered during parsing. */
        this.errors = [];
        /** Warnings encountered during parsing. */
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === 'function' || Array.isArray(replacer)) {
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const opt = Object.assign({
            intAsBigInt: false,
            keepSourceTokens: false,
            logLevel: 'warn',
            prettyErrors: true,
            strict: true,
            stringKeys: false,
            uniqueKeys: true,
            version: '1.2'
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
            this.directives = options._directives.atDocument();
            if (this.directives.yaml.explicit)
                version = this.directives.yaml.version;
        }
        else
            this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        // @ts-expect-error We can't really know that this matches Contents.
        this.contents =
            value === undefined ? null : this.createNode(value, _replacer, options);
    }
    /**
     * Create a deep copy of this Document and its contents.
     *
     * Custom Node values that inherit from `Object` still refer to their original instances.
     */
    clone() {
        const copy = Object.create(Document.prototype, {
            [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
            copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        // @ts-expect-error We can't really know that this matches Contents.
        copy.contents = identity.isNode(this.contents)
            ? this.contents.clone(copy.schema)
            : this.contents;
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** Adds a value to the document. */
    add(value) {
        if (assertCollection(this.contents))
            this.contents.add(value);
    }
    /** Adds a value to the document. */
    addIn(path, value) {
        if (assertCollection(this.contents))
            this.contents.addIn(path, value);
    }
    /**
     * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
     *
     * If `node` already has an anchor, `name` is ignored.
     * Otherwise, the `node.anchor` value will be set to `name`,
     * or if an anchor with that name is already present in the document,
     * `name` will be used as a prefix for a new unique anchor.
     * If `name` is undefined, the generated anchor will use 'a' as a prefix.
     */
    createAlias(node, name) {
        if (!node.anchor) {
            const prev = anchors.anchorNames(this);
            node.anchor =
                // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
                !name || prev.has(name) ? anchors.findNewAnchor(name || 'a', prev) : name;
        }
        return new Alias.Alias(node.anchor);
    }
    createNode(value, replacer, options) {
        let _replacer = undefined;
        if (typeof replacer === 'function') {
            value = replacer.call({ '': value }, '', value);
            _replacer = replacer;
        }
        else if (Array.isArray(replacer)) {
            const keyToStr = (v) => typeof v === 'number' || v instanceof String || v instanceof Number;
            const asStr = replacer.filter(keyToStr).map(String);
            if (asStr.length > 0)
                replacer = replacer.concat(asStr);
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(this, 
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        anchorPrefix || 'a');
        const ctx = {
            aliasDuplicateObjects: aliasDuplicateObjects ?? true,
            keepUndefined: keepUndefined ?? false,
            onAnchor,
            onTagObj,
            replacer: _replacer,
            schema: this.schema,
            sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
            node.flow = true;
        setAnchors();
        return node;
    }
    /**
     * Convert a key and a value into a `Pair` using the current schema,
     * recursively wrapping all values as `Scalar` or `Collection` nodes.
     */
    createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
            if (this.contents == null)
                return false;
            // @ts-expect-error Presumed impossible if Strict extends false
            this.contents = null;
            return true;
        }
        return assertCollection(this.contents)
            ? this.contents.deleteIn(path)
            : false;
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    get(key, keepScalar) {
        return identity.isCollection(this.contents)
            ? this.contents.get(key, keepScalar)
            : undefined;
    }
    /**
     * Returns item at `path`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
            return !keepScalar && identity.isScalar(this.contents)
                ? this.contents.value
                : this.contents;
        return identity.isCollection(this.contents)
            ? this.contents.getIn(path, keepScalar)
            : undefined;
    }
    /**
     * Checks if the document includes a value with the key `key`.
     */
    has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
    }
    /**
     * Checks if the document includes a value at `path`.
     */
    hasIn(path) {
        if (Collection.isEmptyPath(path))
            return this.contents !== undefined;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    set(key, value) {
        if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, [key], value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.set(key, value);
        }
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = value;
        }
        else if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.setIn(path, value);
        }
    }
    /**
     * Change the YAML version and schema used by the document.
     * A `null` version disables support for directives, explicit tags, anchors, and aliases.
     * It also requires the `schema` option to be given as a `Schema` instance value.
     *
     * Overrides all previously set schema options.
     */
    setSchema(version, options = {}) {
        if (typeof version === 'number')
            version = String(version);
        let opt;
        switch (version) {
            case '1.1':
                if (this.directives)
                    this.directives.yaml.version = '1.1';
                else
                    this.directives = new directives.Directives({ version: '1.1' });
                opt = { resolveKnownTags: false, schema: 'yaml-1.1' };
                break;
            case '1.2':
            case 'next':
                if (this.directives)
                    this.directives.yaml.version = version;
                else
                    this.directives = new directives.Directives({ version });
                opt = { resolveKnownTags: true, schema: 'core' };
                break;
            case null:
                if (this.directives)
                    delete this.directives;
                opt = null;
                break;
            default: {
                const sv = JSON.stringify(version);
                throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
            }
        }
        // Not using `instanceof Schema` to allow for duck typing
        if (options.schema instanceof Object)
            this.schema = options.schema;
        else if (opt)
            this.schema = new Schema.Schema(Object.assign(opt, options));
        else
            throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
    }
    // json & jsonArg are only used from toJSON()
    toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
            anchors: new Map(),
            doc: this,
            keep: !json,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
    /**
     * A JSON representation of the document `contents`.
     *
     * @param jsonArg Used by `JSON.stringify` to indicate the array index or
     *   property name.
     */
    toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
    }
    /** A YAML representation of the document. */
    toString(options = {}) {
        if (this.errors.length > 0)
            throw new Error('Document with errors cannot be stringified');
        if ('indent' in options &&
            (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
            const s = JSON.stringify(options.indent);
            throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
    }
}
function assertCollection(contents) {
    if (identity.isCollection(contents))
        return true;
    throw new Error('Expected a YAML collection as document contents');
}

exports.Document = Document;


/***/ }),

/***/ 1596:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

/**
 * Verify that the input string is a valid anchor.
 *
 * Will throw on errors.
 */
function anchorIsValid(anchor) {
    if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
    }
    return true;
}
function anchorNames(root) {
    const anchors = new Set();
    visit.visit(root, {
        Value(_key, node) {
            if (node.anchor)
                anchors.add(node.anchor);
        }
    });
    return anchors;
}
/** Find a new anchor name with the given `prefix` and a one-indexed suffix. */
function findNewAnchor(prefix, exclude) {
    for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
            return name;
    }
}
function createNodeAnchors(doc, prefix) {
    const aliasObjects = [];
    const sourceObjects = new Map();
    let prevAnchors = null;
    return {
        onAnchor: (source) => {
            aliasObjects.push(source);
            prevAnchors ?? (prevAnchors = anchorNames(doc));
            const anchor = findNewAnchor(prefix, prevAnchors);
            prevAnchors.add(anchor);
            return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
            for (const source of aliasObjects) {
                const ref = sourceObjects.get(source);
                if (typeof ref === 'object' &&
                    ref.anchor &&
                    (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
                    ref.node.anchor = ref.anchor;
                }
                else {
                    const error = new Error('Failed to resolve repeated object (this should not happen)');
                    error.source = source;
                    throw error;
                }
            }
        },
        sourceObjects
    };
}

exports.anchorIsValid = anchorIsValid;
exports.anchorNames = anchorNames;
exports.createNodeAnchors = createNodeAnchors;
exports.findNewAnchor = findNewAnchor;


/***/ }),

/***/ 3661:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Applies the JSON.parse reviver algorithm as defined in the ECMA-262 spec,
 * in section 24.5.1.1 "Runtime Semantics: InternalizeJSONProperty" of the
 * 2021 edition: https://tc39.es/ecma262/#sec-json.parse
 *
 * Includes extensions for handling Map and Set objects.
 */
function applyReviver(reviver, obj, key, val) {
    if (val && typeof val === 'object') {
        if (Array.isArray(val)) {
            for (let i = 0, len = val.length; i < len; ++i) {
                const v0 = val[i];
                const v1 = applyReviver(reviver, val, String(i), v0);
                // eslint-disable-next-line @typescript-eslint/no-array-delete
                if (v1 === undefined)
                    delete val[i];
                else if (v1 !== v0)
                    val[i] = v1;
            }
        }
        else if (val instanceof Map) {
            for (const k of Array.from(val.keys())) {
                const v0 = val.get(k);
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    val.delete(k);
                else if (v1 !== v0)
                    val.set(k, v1);
            }
        }
        else if (val instanceof Set) {
            for (const v0 of Array.from(val)) {
                const v1 = applyReviver(reviver, val, v0, v0);
                if (v1 === undefined)
                    val.delete(v0);
                else if (v1 !== v0) {
                    val.delete(v0);
                    val.add(v1);
                }
            }
        }
        else {
            for (const [k, v0] of Object.entries(val)) {
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    delete val[k];
                else if (v1 !== v0)
                    val[k] = v1;
            }
        }
    }
    return reviver.call(obj, key, val);
}

exports.applyReviver = applyReviver;


/***/ }),

/***/ 2404:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

const defaultTagPrefix = 'tag:yaml.org,2002:';
function findTagObject(value, tagName, tags) {
    if (tagName) {
        const match = tags.filter(t => t.tag === tagName);
        const tagObj = match.find(t => !t.format) ?? match[0];
        if (!tagObj)
            throw new Error(`Tag ${tagName} not found`);
        return tagObj;
    }
    return tags.find(t => t.identify?.(value) && !t.format);
}
function createNode(value, tagName, ctx) {
    if (identity.isDocument(value))
        value = value.contents;
    if (identity.isNode(value))
        return value;
    if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
    }
    if (value instanceof String ||
        value instanceof Number ||
        value instanceof Boolean ||
        (typeof BigInt !== 'undefined' && value instanceof BigInt) // not supported everywhere
    ) {
        // https://tc39.es/ecma262/#sec-serializejsonproperty
        value = value.valueOf();
    }
    const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
    // Detect duplicate references to the same object & use Alias nodes for all
    // after first. The `ref` wrapper allows for circular references to resolve.
    let ref = undefined;
    if (aliasDuplicateObjects && value && typeof value === 'object') {
        ref = sourceObjects.get(value);
        if (ref) {
            ref.anchor ?? (ref.anchor = onAnchor(value));
            return new Alias.Alias(ref.anchor);
        }
        else {
            ref = { anchor: null, node: null };
            sourceObjects.set(value, ref);
        }
    }
    if (tagName?.startsWith('!!'))
        tagName = defaultTagPrefix + tagName.slice(2);
    let tagObj = findTagObject(value, tagName, schema.tags);
    if (!tagObj) {
        if (value && typeof value.toJSON === 'function') {
            // eslint-disable-next-line @typescript-eslint/no-unsafe-call
            value = value.toJSON();
        }
        if (!value || typeof value !== 'object') {
            const node = new Scalar.Scalar(value);
            if (ref)
                ref.node = node;
            return node;
        }
        tagObj =
            value instanceof Map
                ? schema[identity.MAP]
                : Symbol.iterator in Object(value)
                    ? schema[identity.SEQ]
                    : schema[identity.MAP];
    }
    if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
    }
    const node = tagObj?.createNode
        ? tagObj.createNode(ctx.schema, value, ctx)
        : typeof tagObj?.nodeClass?.from === 'function'
            ? tagObj.nodeClass.from(ctx.schema, value, ctx)
            : new Scalar.Scalar(value);
    if (tagName)
        node.tag = tagName;
    else if (!tagObj.default)
        node.tag = tagObj.tag;
    if (ref)
        ref.node = node;
    return node;
}

exports.createNode = createNode;


/***/ }),

/***/ 1342:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

const escapeChars = {
    '!': '%21',
    ',': '%2C',
    '[': '%5B',
    ']': '%5D',
    '{': '%7B',
    '}': '%7D'
};
const escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, ch => escapeChars[ch]);
class Directives {
    constructor(yaml, tags) {
        /**
         * The directives-end/doc-start marker `---`. If `null`, a marker may still be
         * included in the document's stringified representation.
         */
        this.docStart = null;
        /** The doc-end marker `...`.  */
        this.docEnd = false;
        this.yaml = Object.assign({}, Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, Directives.defaultTags, tags);
    }
    clone() {
        const copy = new Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
    }
    /**
     * During parsing, get a Directives instance for the current document and
     * update the stream state according to the current version's spec.
     */
    atDocument() {
        const res = new Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
            case '1.1':
                this.atNextDocument = true;
                break;
            case '1.2':
                this.atNextDocument = false;
                this.yaml = {
                    explicit: Directives.defaultYaml.explicit,
                    version: '1.2'
                };
                this.tags = Object.assign({}, Directives.defaultTags);
                break;
        }
        return res;
    }
    /**
     * @param onError - May be called even if the action was successful
     * @returns `true` on success
     */
    add(line, onError) {
        if (this.atNextDocument) {
            this.yaml = { explicit: Directives.defaultYaml.explicit, version: '1.1' };
            this.tags = Object.assign({}, Directives.defaultTags);
            this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
            case '%TAG': {
                if (parts.length !== 2) {
                    onError(0, '%TAG directive should contain exactly two parts');
                    if (parts.length < 2)
                        return false;
                }
                const [handle, prefix] = parts;
                this.tags[handle] = prefix;
                return true;
            }
            case '%YAML': {
                this.yaml.explicit = true;
                if (parts.length !== 1) {
                    onError(0, '%YAML directive should contain exactly one part');
                    return false;
                }
                const [version] = parts;
                if (version === '1.1' || version === '1.2') {
                    this.yaml.version = version;
                    return true;
                }
                else {
                    const isValid = /^\d+\.\d+$/.test(version);
                    onError(6, `Unsupported YAML version ${version}`, isValid);
                    return false;
                }
            }
            default:
                onError(0, `Unknown directive ${name}`, true);
                return false;
        }
    }
    /**
     * Resolves a tag, matching handles to those defined in %TAG directives.
     *
     * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
     *   `'!local'` tag, or `null` if unresolvable.
     */
    tagName(source, onError) {
        if (source === '!')
            return '!'; // non-specific tag
        if (source[0] !== '!') {
            onError(`Not a valid tag: ${source}`);
            return null;
        }
        if (source[1] === '<') {
            const verbatim = source.slice(2, -1);
            if (verbatim === '!' || verbatim === '!!') {
                onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
                return null;
            }
            if (source[source.length - 1] !== '>')
                onError('Verbatim tags must end with a >');
            return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
            onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
            try {
                return prefix + decodeURIComponent(suffix);
            }
            catch (error) {
                onError(String(error));
                return null;
            }
        }
        if (handle === '!')
            return source; // local tag
        onError(`Could not resolve tag: ${source}`);
        return null;
    }
    /**
     * Given a fully resolved tag, returns its printable string form,
     * taking into account current tag prefixes and defaults.
     */
    tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
            if (tag.startsWith(prefix))
                return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === '!' ? tag : `!<${tag}>`;
    }
    toString(doc) {
        const lines = this.yaml.explicit
            ? [`%YAML ${this.yaml.version || '1.2'}`]
            : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
            const tags = {};
            visit.visit(doc.contents, (_key, node) => {
                if (identity.isNode(node) && node.tag)
                    tags[node.tag] = true;
            });
            tagNames = Object.keys(tags);
        }
        else
            tagNames = [];
        for (const [handle, prefix] of tagEntries) {
            if (handle === '!!' && prefix === 'tag:yaml.org,2002:')
                continue;
            if (!doc || tagNames.some(tn => tn.startsWith(prefix)))
                lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join('\n');
    }
}
Directives.defaultYaml = { explicit: false, version: '1.2' };
Directives.defaultTags = { '!!': 'tag:yaml.org,2002:' };

exports.Directives = Directives;


/***/ }),

/***/ 1464:
/***/ ((__unused_webpack_module, exports) => {



class YAMLError extends Error {
    constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
    }
}
class YAMLParseError extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLParseError', pos, code, message);
    }
}
class YAMLWarning extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLWarning', pos, code, message);
    }
}
const prettifyError = (src, lc) => (error) => {
    if (error.pos[0] === -1)
        return;
    error.linePos = error.pos.map(pos => lc.linePos(pos));
    const { line, col } = error.linePos[0];
    error.message += ` at line ${line}, column ${col}`;
    let ci = col - 1;
    let lineStr = src
        .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
        .replace(/[\n\r]+$/, '');
    // Trim to max 80 chars, keeping col position near the middle
    if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = '…' + lineStr.substring(trimStart);
        ci -= trimStart - 1;
    }
    if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + '…';
    // Include previous line in context if pointing at line start
    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        // Regexp won't match if start is trimmed
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
            prev = prev.substring(0, 79) + '…\n';
        lineStr = prev + lineStr;
    }
    if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
            count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = ' '.repeat(ci) + '^'.repeat(count);
        error.message += `:\n\n${lineStr}\n${pointer}\n`;
    }
};

exports.YAMLError = YAMLError;
exports.YAMLParseError = YAMLParseError;
exports.YAMLWarning = YAMLWarning;
exports.prettifyError = prettifyError;


/***/ }),

/***/ 8815:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var Schema = __nccwpck_require__(5840);
var errors = __nccwpck_require__(1464);
var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);
var publicApi = __nccwpck_require__(4047);
var visit = __nccwpck_require__(204);



__webpack_unused_export__ = composer.Composer;
__webpack_unused_export__ = Document.Document;
__webpack_unused_export__ = Schema.Schema;
__webpack_unused_export__ = errors.YAMLError;
__webpack_unused_export__ = errors.YAMLParseError;
__webpack_unused_export__ = errors.YAMLWarning;
__webpack_unused_export__ = Alias.Alias;
exports.Vj = identity.isAlias;
__webpack_unused_export__ = identity.isCollection;
__webpack_unused_export__ = identity.isDocument;
exports.jh = identity.isMap;
__webpack_unused_export__ = identity.isNode;
exports.tO = identity.isPair;
exports.jn = identity.isScalar;
exports.oP = identity.isSeq;
__webpack_unused_export__ = Pair.Pair;
__webpack_unused_export__ = Scalar.Scalar;
__webpack_unused_export__ = YAMLMap.YAMLMap;
__webpack_unused_export__ = YAMLSeq.YAMLSeq;
__webpack_unused_export__ = cst;
__webpack_unused_export__ = lexer.Lexer;
exports.HN = lineCounter.LineCounter;
__webpack_unused_export__ = parser.Parser;
__webpack_unused_export__ = publicApi.parse;
__webpack_unused_export__ = publicApi.parseAllDocuments;
exports.Tp = publicApi.parseDocument;
exports.As = publicApi.stringify;
__webpack_unused_export__ = visit.visit;
__webpack_unused_export__ = visit.visitAsync;


/***/ }),

/***/ 7249:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);

function debug(logLevel, ...messages) {
    if (logLevel === 'debug')
        console.log(...messages);
}
function warn(logLevel, warning) {
    if (logLevel === 'debug' || logLevel === 'warn') {
        if (typeof node_process.emitWarning === 'function')
            node_process.emitWarning(warning);
        else
            console.warn(warning);
    }
}

exports.debug = debug;
exports.warn = warn;


/***/ }),

/***/ 4065:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var visit = __nccwpck_require__(204);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

class Alias extends Node.NodeBase {
    constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, 'tag', {
            set() {
                throw new Error('Alias nodes cannot have tags');
            }
        });
    }
    /**
     * Resolve the value of this alias within `doc`, finding the last
     * instance of the `source` anchor before this node.
     */
    resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
            throw new ReferenceError('Alias resolution is disabled');
        let nodes;
        if (ctx?.aliasResolveCache) {
            nodes = ctx.aliasResolveCache;
        }
        else {
            nodes = [];
            visit.visit(doc, {
                Node: (_key, node) => {
                    if (identity.isAlias(node) || identity.hasAnchor(node))
                        nodes.push(node);
                }
            });
            if (ctx)
                ctx.aliasResolveCache = nodes;
        }
        let found = undefined;
        for (const node of nodes) {
            if (node === this)
                break;
            if (node.anchor === this.source)
                found = node;
        }
        if (found && ctx) {
            const { anchors, doc, maxAliasCount } = ctx;
            let data = anchors.get(found);
            if (!data) {
                // Resolve anchors for Node.prototype.toJS()
                toJS.toJS(found, null, ctx);
                data = anchors.get(found);
            }
            /* istanbul ignore if */
            if (data?.res === undefined) {
                const msg = 'This should not happen: Alias anchor was not resolved?';
                throw new ReferenceError(msg);
            }
            if (maxAliasCount >= 0) {
                data.count += 1;
                if (data.aliasCount === 0)
                    data.aliasCount = getAliasCount(doc, found, anchors);
                if (data.count * data.aliasCount > maxAliasCount) {
                    const msg = 'Excessive alias count indicates a resource exhaustion attack';
                    throw new ReferenceError(msg);
                }
            }
        }
        return found;
    }
    toJSON(_arg, ctx) {
        if (!ctx)
            return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
    }
    toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
            anchors.anchorIsValid(this.source);
            if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
                const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
                throw new Error(msg);
            }
            if (ctx.implicitKey)
                return `${src} `;
        }
        return src;
    }
}
function getAliasCount(doc, node, anchors) {
    if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors && source && anchors.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
    }
    else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
            const c = getAliasCount(doc, item, anchors);
            if (c > count)
                count = c;
        }
        return count;
    }
    else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors);
        const vc = getAliasCount(doc, node.value, anchors);
        return Math.max(kc, vc);
    }
    return 1;
}

exports.Alias = Alias;


/***/ }),

/***/ 101:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);

function collectionFromPath(schema, path, value) {
    let v = value;
    for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === 'number' && Number.isInteger(k) && k >= 0) {
            const a = [];
            a[k] = v;
            v = a;
        }
        else {
            v = new Map([[k, v]]);
        }
    }
    return createNode.createNode(v, undefined, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
            throw new Error('This should not happen, please report a bug.');
        },
        schema,
        sourceObjects: new Map()
    });
}
// Type guard is intentionally a little wrong so as to be more useful,
// as it does not cover untypable empty non-string iterables (e.g. []).
const isEmptyPath = (path) => path == null ||
    (typeof path === 'object' && !!path[Symbol.iterator]().next().done);
class Collection extends Node.NodeBase {
    constructor(type, schema) {
        super(type);
        Object.defineProperty(this, 'schema', {
            value: schema,
            configurable: true,
            enumerable: false,
            writable: true
        });
    }
    /**
     * Create a copy of this collection.
     *
     * @param schema - If defined, overwrites the original's schema
     */
    clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
            copy.schema = schema;
        copy.items = copy.items.map(it => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /**
     * Adds a value to the collection. For `!!map` and `!!omap` the value must
     * be a Pair instance or a `{ key, value }` object, which may not have a key
     * that already exists in the map.
     */
    addIn(path, value) {
        if (isEmptyPath(path))
            this.add(value);
        else {
            const [key, ...rest] = path;
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.addIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
    /**
     * Removes a value from the collection.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
            return node.deleteIn(rest);
        else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
            return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
            return identity.isCollection(node) ? node.getIn(rest, keepScalar) : undefined;
    }
    hasAllNullValues(allowScalar) {
        return this.items.every(node => {
            if (!identity.isPair(node))
                return false;
            const n = node.value;
            return (n == null ||
                (allowScalar &&
                    identity.isScalar(n) &&
                    n.value == null &&
                    !n.commentBefore &&
                    !n.comment &&
                    !n.tag));
        });
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     */
    hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
            this.set(key, value);
        }
        else {
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.setIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
}

exports.Collection = Collection;
exports.collectionFromPath = collectionFromPath;
exports.isEmptyPath = isEmptyPath;


/***/ }),

/***/ 6673:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var applyReviver = __nccwpck_require__(3661);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

class NodeBase {
    constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
    }
    /** Create a copy of this node.  */
    clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** A plain JavaScript representation of this node. */
    toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
            throw new TypeError('A document argument is required');
        const ctx = {
            anchors: new Map(),
            doc,
            keep: true,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
}

exports.NodeBase = NodeBase;


/***/ }),

/***/ 7165:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyPair = __nccwpck_require__(9748);
var addPairToJSMap = __nccwpck_require__(7104);
var identity = __nccwpck_require__(1127);

function createPair(key, value, ctx) {
    const k = createNode.createNode(key, undefined, ctx);
    const v = createNode.createNode(value, undefined, ctx);
    return new Pair(k, v);
}
class Pair {
    constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
    }
    clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
            key = key.clone(schema);
        if (identity.isNode(value))
            value = value.clone(schema);
        return new Pair(key, value);
    }
    toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
    }
    toString(ctx, onComment, onChompKeep) {
        return ctx?.doc
            ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep)
            : JSON.stringify(this);
    }
}

exports.Pair = Pair;
exports.createPair = createPair;


/***/ }),

/***/ 3301:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

const isScalarValue = (value) => !value || (typeof value !== 'function' && typeof value !== 'object');
class Scalar extends Node.NodeBase {
    constructor(value) {
        super(identity.SCALAR);
        this.value = value;
    }
    toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
    }
    toString() {
        return String(this.value);
    }
}
Scalar.BLOCK_FOLDED = 'BLOCK_FOLDED';
Scalar.BLOCK_LITERAL = 'BLOCK_LITERAL';
Scalar.PLAIN = 'PLAIN';
Scalar.QUOTE_DOUBLE = 'QUOTE_DOUBLE';
Scalar.QUOTE_SINGLE = 'QUOTE_SINGLE';

exports.Scalar = Scalar;
exports.isScalarValue = isScalarValue;


/***/ }),

/***/ 4454:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyCollection = __nccwpck_require__(1212);
var addPairToJSMap = __nccwpck_require__(7104);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);

function findPair(items, key) {
    const k = identity.isScalar(key) ? key.value : key;
    for (const it of items) {
        if (identity.isPair(it)) {
            if (it.key === key || it.key === k)
                return it;
            if (identity.isScalar(it.key) && it.key.value === k)
                return it;
        }
    }
    return undefined;
}
class YAMLMap extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:map';
    }
    constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
    }
    /**
     * A generic collection parsing method that can be extended
     * to other node classes that inherit from YAMLMap
     */
    static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
            if (typeof replacer === 'function')
                value = replacer.call(obj, key, value);
            else if (Array.isArray(replacer) && !replacer.includes(key))
                return;
            if (value !== undefined || keepUndefined)
                map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
            for (const [key, value] of obj)
                add(key, value);
        }
        else if (obj && typeof obj === 'object') {
            for (const key of Object.keys(obj))
                add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === 'function') {
            map.items.sort(schema.sortMapEntries);
        }
        return map;
    }
    /**
     * Adds a value to the collection.
     *
     * @param overwrite - If not set `true`, using a key that is already in the
     *   collection will throw. Otherwise, overwrites the previous value.
     */
    add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
            _pair = pair;
        else if (!pair || typeof pair !== 'object' || !('key' in pair)) {
            // In TypeScript, this never happens.
            _pair = new Pair.Pair(pair, pair?.value);
        }
        else
            _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
            if (!overwrite)
                throw new Error(`Key ${_pair.key} already set`);
            // For scalars, keep the old node & its comments and anchors
            if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
                prev.value.value = _pair.value;
            else
                prev.value = _pair.value;
        }
        else if (sortEntries) {
            const i = this.items.findIndex(item => sortEntries(_pair, item) < 0);
            if (i === -1)
                this.items.push(_pair);
            else
                this.items.splice(i, 0, _pair);
        }
        else {
            this.items.push(_pair);
        }
    }
    delete(key) {
        const it = findPair(this.items, key);
        if (!it)
            return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? undefined;
    }
    has(key) {
        return !!findPair(this.items, key);
    }
    set(key, value) {
        this.add(new Pair.Pair(key, value), true);
    }
    /**
     * @param ctx - Conversion context, originally set in Document#toJS()
     * @param {Class} Type - If set, forces the returned collection type
     * @returns Instance of Type, Map, or Object
     */
    toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? new Map() : {};
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const item of this.items)
            addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        for (const item of this.items) {
            if (!identity.isPair(item))
                throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
            ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '',
            flowChars: { start: '{', end: '}' },
            itemIndent: ctx.indent || '',
            onChompKeep,
            onComment
        });
    }
}

exports.YAMLMap = YAMLMap;
exports.findPair = findPair;


/***/ }),

/***/ 2223:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyCollection = __nccwpck_require__(1212);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var toJS = __nccwpck_require__(4043);

class YAMLSeq extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:seq';
    }
    constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
    }
    add(value) {
        this.items.push(value);
    }
    /**
     * Removes a value from the collection.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     *
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return undefined;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     */
    has(key) {
        const idx = asItemIndex(key);
        return typeof idx === 'number' && idx < this.items.length;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     *
     * If `key` does not contain a representation of an integer, this will throw.
     * It may be wrapped in a `Scalar`.
     */
    set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
            prev.value = value;
        else
            this.items[idx] = value;
    }
    toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
            ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
            seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '- ',
            flowChars: { start: '[', end: ']' },
            itemIndent: (ctx.indent || '') + '  ',
            onChompKeep,
            onComment
        });
    }
    static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
            let i = 0;
            for (let it of obj) {
                if (typeof replacer === 'function') {
                    const key = obj instanceof Set ? it : String(i++);
                    it = replacer.call(obj, key, it);
                }
                seq.items.push(createNode.createNode(it, undefined, ctx));
            }
        }
        return seq;
    }
}
function asItemIndex(key) {
    let idx = identity.isScalar(key) ? key.value : key;
    if (idx && typeof idx === 'string')
        idx = Number(idx);
    return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0
        ? idx
        : null;
}

exports.YAMLSeq = YAMLSeq;


/***/ }),

/***/ 7104:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var log = __nccwpck_require__(7249);
var merge = __nccwpck_require__(452);
var stringify = __nccwpck_require__(2148);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

function addPairToJSMap(ctx, map, { key, value }) {
    if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
    // TODO: Should drop this special case for bare << handling
    else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
    else {
        const jsKey = toJS.toJS(key, '', ctx);
        if (map instanceof Map) {
            map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        }
        else if (map instanceof Set) {
            map.add(jsKey);
        }
        else {
            const stringKey = stringifyKey(key, jsKey, ctx);
            const jsValue = toJS.toJS(value, stringKey, ctx);
            if (stringKey in map)
                Object.defineProperty(map, stringKey, {
                    value: jsValue,
                    writable: true,
                    enumerable: true,
                    configurable: true
                });
            else
                map[stringKey] = jsValue;
        }
    }
    return map;
}
function stringifyKey(key, jsKey, ctx) {
    if (jsKey === null)
        return '';
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    if (typeof jsKey !== 'object')
        return String(jsKey);
    if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = new Set();
        for (const node of ctx.anchors.keys())
            strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
            let jsonStr = JSON.stringify(strKey);
            if (jsonStr.length > 40)
                jsonStr = jsonStr.substring(0, 36) + '..."';
            log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
            ctx.mapKeyWarned = true;
        }
        return strKey;
    }
    return JSON.stringify(jsKey);
}

exports.addPairToJSMap = addPairToJSMap;


/***/ }),

/***/ 1127:
/***/ ((__unused_webpack_module, exports) => {



const ALIAS = Symbol.for('yaml.alias');
const DOC = Symbol.for('yaml.document');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');
const NODE_TYPE = Symbol.for('yaml.node.type');
const isAlias = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === ALIAS;
const isDocument = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === DOC;
const isMap = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === MAP;
const isPair = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === PAIR;
const isScalar = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SCALAR;
const isSeq = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SEQ;
function isCollection(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case MAP:
            case SEQ:
                return true;
        }
    return false;
}
function isNode(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case ALIAS:
            case MAP:
            case SCALAR:
            case SEQ:
                return true;
        }
    return false;
}
const hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

exports.ALIAS = ALIAS;
exports.DOC = DOC;
exports.MAP = MAP;
exports.NODE_TYPE = NODE_TYPE;
exports.PAIR = PAIR;
exports.SCALAR = SCALAR;
exports.SEQ = SEQ;
exports.hasAnchor = hasAnchor;
exports.isAlias = isAlias;
exports.isCollection = isCollection;
exports.isDocument = isDocument;
exports.isMap = isMap;
exports.isNode = isNode;
exports.isPair = isPair;
exports.isScalar = isScalar;
exports.isSeq = isSeq;


/***/ }),

/***/ 4043:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

/**
 * Recursively convert any node or its contents to native JavaScript
 *
 * @param value - The input value
 * @param arg - If `value` defines a `toJSON()` method, use this
 *   as its first argument
 * @param ctx - Conversion context, originally set in Document#toJS(). If
 *   `{ keep: true }` is not set, output should be suitable for JSON
 *   stringification.
 */
function toJS(value, arg, ctx) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
    if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
    if (value && typeof value.toJSON === 'function') {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-call
        if (!ctx || !identity.hasAnchor(value))
            return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: undefined };
        ctx.anchors.set(value, data);
        ctx.onCreate = res => {
            data.res = res;
            delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
            ctx.onCreate(res);
        return res;
    }
    if (typeof value === 'bigint' && !ctx?.keep)
        return Number(value);
    return value;
}

exports.toJS = toJS;


/***/ }),

/***/ 110:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);
var errors = __nccwpck_require__(1464);
var stringifyString = __nccwpck_require__(3069);

function resolveAsScalar(token, strict = true, onError) {
    if (token) {
        const _onError = (pos, code, message) => {
            const offset = typeof pos === 'number' ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
            if (onError)
                onError(offset, code, message);
            else
                throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
            case 'block-scalar':
                return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
    }
    return null;
}
/**
 * Create a new scalar token with `value`
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.end Comments and whitespace after the end of the value, or after the block scalar header. If undefined, a newline will be added.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.indent The indent level of the token.
 * @param context.inFlow Is this scalar within a flow collection? This may affect the resolved type of the token's value.
 * @param context.offset The offset position of the token.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function createScalarToken(value, context) {
    const { implicitKey = false, indent, inFlow = false, offset = -1, type = 'PLAIN' } = context;
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    const end = context.end ?? [
        { type: 'newline', offset: -1, indent, source: '\n' }
    ];
    switch (source[0]) {
        case '|':
        case '>': {
            const he = source.indexOf('\n');
            const head = source.substring(0, he);
            const body = source.substring(he + 1) + '\n';
            const props = [
                { type: 'block-scalar-header', offset, indent, source: head }
            ];
            if (!addEndtoBlockProps(props, end))
                props.push({ type: 'newline', offset: -1, indent, source: '\n' });
            return { type: 'block-scalar', offset, indent, props, source: body };
        }
        case '"':
            return { type: 'double-quoted-scalar', offset, indent, source, end };
        case "'":
            return { type: 'single-quoted-scalar', offset, indent, source, end };
        default:
            return { type: 'scalar', offset, indent, source, end };
    }
}
/**
 * Set the value of `token` to the given string `value`, overwriting any previous contents and type that it may have.
 *
 * Best efforts are made to retain any comments previously associated with the `token`,
 * though all contents within a collection's `items` will be overwritten.
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param token Any token. If it does not include an `indent` value, the value will be stringified as if it were an implicit key.
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.afterKey In most cases, values after a key should have an additional level of indentation.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.inFlow Being within a flow collection may affect the resolved type of the token's value.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function setScalarValue(token, value, context = {}) {
    let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
    let indent = 'indent' in token ? token.indent : null;
    if (afterKey && typeof indent === 'number')
        indent += 2;
    if (!type)
        switch (token.type) {
            case 'single-quoted-scalar':
                type = 'QUOTE_SINGLE';
                break;
            case 'double-quoted-scalar':
                type = 'QUOTE_DOUBLE';
                break;
            case 'block-scalar': {
                const header = token.props[0];
                if (header.type !== 'block-scalar-header')
                    throw new Error('Invalid block scalar header');
                type = header.source[0] === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
                break;
            }
            default:
                type = 'PLAIN';
        }
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    switch (source[0]) {
        case '|':
        case '>':
            setBlockScalarValue(token, source);
            break;
        case '"':
            setFlowScalarValue(token, source, 'double-quoted-scalar');
            break;
        case "'":
            setFlowScalarValue(token, source, 'single-quoted-scalar');
            break;
        default:
            setFlowScalarValue(token, source, 'scalar');
    }
}
function setBlockScalarValue(token, source) {
    const he = source.indexOf('\n');
    const head = source.substring(0, he);
    const body = source.substring(he + 1) + '\n';
    if (token.type === 'block-scalar') {
        const header = token.props[0];
        if (header.type !== 'block-scalar-header')
            throw new Error('Invalid block scalar header');
        header.source = head;
        token.source = body;
    }
    else {
        const { offset } = token;
        const indent = 'indent' in token ? token.indent : -1;
        const props = [
            { type: 'block-scalar-header', offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, 'end' in token ? token.end : undefined))
            props.push({ type: 'newline', offset: -1, indent, source: '\n' });
        for (const key of Object.keys(token))
            if (key !== 'type' && key !== 'offset')
                delete token[key];
        Object.assign(token, { type: 'block-scalar', indent, props, source: body });
    }
}
/** @returns `true` if last token is a newline */
function addEndtoBlockProps(props, end) {
    if (end)
        for (const st of end)
            switch (st.type) {
                case 'space':
                case 'comment':
                    props.push(st);
                    break;
                case 'newline':
                    props.push(st);
                    return true;
            }
    return false;
}
function setFlowScalarValue(token, source, type) {
    switch (token.type) {
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            token.type = type;
            token.source = source;
            break;
        case 'block-scalar': {
            const end = token.props.slice(1);
            let oa = source.length;
            if (token.props[0].type === 'block-scalar-header')
                oa -= token.props[0].source.length;
            for (const tok of end)
                tok.offset += oa;
            delete token.props;
            Object.assign(token, { type, source, end });
            break;
        }
        case 'block-map':
        case 'block-seq': {
            const offset = token.offset + source.length;
            const nl = { type: 'newline', offset, indent: token.indent, source: '\n' };
            delete token.items;
            Object.assign(token, { type, source, end: [nl] });
            break;
        }
        default: {
            const indent = 'indent' in token ? token.indent : -1;
            const end = 'end' in token && Array.isArray(token.end)
                ? token.end.filter(st => st.type === 'space' ||
                    st.type === 'comment' ||
                    st.type === 'newline')
                : [];
            for (const key of Object.keys(token))
                if (key !== 'type' && key !== 'offset')
                    delete token[key];
            Object.assign(token, { type, indent, source, end });
        }
    }
}

exports.createScalarToken = createScalarToken;
exports.resolveAsScalar = resolveAsScalar;
exports.setScalarValue = setScalarValue;


/***/ }),

/***/ 1733:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringify a CST document, token, or collection item
 *
 * Fair warning: This applies no validation whatsoever, and
 * simply concatenates the sources in their logical order.
 */
const stringify = (cst) => 'type' in cst ? stringifyToken(cst) : stringifyItem(cst);
function stringifyToken(token) {
    switch (token.type) {
        case 'block-scalar': {
            let res = '';
            for (const tok of token.props)
                res += stringifyToken(tok);
            return res + token.source;
        }
        case 'block-map':
        case 'block-seq': {
            let res = '';
            for (const item of token.items)
                res += stringifyItem(item);
            return res;
        }
        case 'flow-collection': {
            let res = token.start.source;
            for (const item of token.items)
                res += stringifyItem(item);
            for (const st of token.end)
                res += st.source;
            return res;
        }
        case 'document': {
            let res = stringifyItem(token);
            if (token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
        default: {
            let res = token.source;
            if ('end' in token && token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
    }
}
function stringifyItem({ start, key, sep, value }) {
    let res = '';
    for (const st of start)
        res += st.source;
    if (key)
        res += stringifyToken(key);
    if (sep)
        for (const st of sep)
            res += st.source;
    if (value)
        res += stringifyToken(value);
    return res;
}

exports.stringify = stringify;


/***/ }),

/***/ 7715:
/***/ ((__unused_webpack_module, exports) => {



const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove item');
/**
 * Apply a visitor to a CST document or item.
 *
 * Walks through the tree (depth-first) starting from the root, calling a
 * `visitor` function with two arguments when entering each item:
 *   - `item`: The current item, which included the following members:
 *     - `start: SourceToken[]` – Source tokens before the key or value,
 *       possibly including its anchor or tag.
 *     - `key?: Token | null` – Set for pair values. May then be `null`, if
 *       the key before the `:` separator is empty.
 *     - `sep?: SourceToken[]` – Source tokens between the key and the value,
 *       which should include the `:` map value indicator if `value` is set.
 *     - `value?: Token` – The value of a sequence item, or of a map pair.
 *   - `path`: The steps from the root to the current node, as an array of
 *     `['key' | 'value', number]` tuples.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this token, continue with
 *      next sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current item, then continue with the next one
 *   - `number`: Set the index of the next step. This is useful especially if
 *     the index of the current token has changed.
 *   - `function`: Define the next visitor for this item. After the original
 *     visitor is called on item entry, next visitors are called after handling
 *     a non-empty `key` and when exiting the item.
 */
function visit(cst, visitor) {
    if ('type' in cst && cst.type === 'document')
        cst = { start: cst.start, value: cst.value };
    _visit(Object.freeze([]), cst, visitor);
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current item */
visit.SKIP = SKIP;
/** Remove the current item */
visit.REMOVE = REMOVE;
/** Find the item at `path` from `cst` as the root */
visit.itemAtPath = (cst, path) => {
    let item = cst;
    for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && 'items' in tok) {
            item = tok.items[index];
        }
        else
            return undefined;
    }
    return item;
};
/**
 * Get the immediate parent collection of the item at `path` from `cst` as the root.
 *
 * Throws an error if the collection is not found, which should never happen if the item itself exists.
 */
visit.parentCollection = (cst, path) => {
    const parent = visit.itemAtPath(cst, path.slice(0, -1));
    const field = path[path.length - 1][0];
    const coll = parent?.[field];
    if (coll && 'items' in coll)
        return coll;
    throw new Error('Parent collection not found');
};
function _visit(path, item, visitor) {
    let ctrl = visitor(item, path);
    if (typeof ctrl === 'symbol')
        return ctrl;
    for (const field of ['key', 'value']) {
        const token = item[field];
        if (token && 'items' in token) {
            for (let i = 0; i < token.items.length; ++i) {
                const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    token.items.splice(i, 1);
                    i -= 1;
                }
            }
            if (typeof ctrl === 'function' && field === 'key')
                ctrl = ctrl(item, path);
        }
    }
    return typeof ctrl === 'function' ? ctrl(item, path) : ctrl;
}

exports.visit = visit;


/***/ }),

/***/ 3461:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cstScalar = __nccwpck_require__(110);
var cstStringify = __nccwpck_require__(1733);
var cstVisit = __nccwpck_require__(7715);

/** The byte order mark */
const BOM = '\u{FEFF}';
/** Start of doc-mode */
const DOCUMENT = '\x02'; // C0: Start of Text
/** Unexpected end of flow-mode */
const FLOW_END = '\x18'; // C0: Cancel
/** Next token is a scalar value */
const SCALAR = '\x1f'; // C0: Unit Separator
/** @returns `true` if `token` is a flow or block collection */
const isCollection = (token) => !!token && 'items' in token;
/** @returns `true` if `token` is a flow or block scalar; not an alias */
const isScalar = (token) => !!token &&
    (token.type === 'scalar' ||
        token.type === 'single-quoted-scalar' ||
        token.type === 'double-quoted-scalar' ||
        token.type === 'block-scalar');
/* istanbul ignore next */
/** Get a printable representation of a lexer token */
function prettyToken(token) {
    switch (token) {
        case BOM:
            return '<BOM>';
        case DOCUMENT:
            return '<DOC>';
        case FLOW_END:
            return '<FLOW_END>';
        case SCALAR:
            return '<SCALAR>';
        default:
            return JSON.stringify(token);
    }
}
/** Identify the type of a lexer token. May return `null` for unknown tokens. */
function tokenType(source) {
    switch (source) {
        case BOM:
            return 'byte-order-mark';
        case DOCUMENT:
            return 'doc-mode';
        case FLOW_END:
            return 'flow-error-end';
        case SCALAR:
            return 'scalar';
        case '---':
            return 'doc-start';
        case '...':
            return 'doc-end';
        case '':
        case '\n':
        case '\r\n':
            return 'newline';
        case '-':
            return 'seq-item-ind';
        case '?':
            return 'explicit-key-ind';
        case ':':
            return 'map-value-ind';
        case '{':
            return 'flow-map-start';
        case '}':
            return 'flow-map-end';
        case '[':
            return 'flow-seq-start';
        case ']':
            return 'flow-seq-end';
        case ',':
            return 'comma';
    }
    switch (source[0]) {
        case ' ':
        case '\t':
            return 'space';
        case '#':
            return 'comment';
        case '%':
            return 'directive-line';
        case '*':
            return 'alias';
        case '&':
            return 'anchor';
        case '!':
            return 'tag';
        case "'":
            return 'single-quoted-scalar';
        case '"':
            return 'double-quoted-scalar';
        case '|':
        case '>':
            return 'block-scalar-header';
    }
    return null;
}

exports.createScalarToken = cstScalar.createScalarToken;
exports.resolveAsScalar = cstScalar.resolveAsScalar;
exports.setScalarValue = cstScalar.setScalarValue;
exports.stringify = cstStringify.stringify;
exports.visit = cstVisit.visit;
exports.BOM = BOM;
exports.DOCUMENT = DOCUMENT;
exports.FLOW_END = FLOW_END;
exports.SCALAR = SCALAR;
exports.isCollection = isCollection;
exports.isScalar = isScalar;
exports.prettyToken = prettyToken;
exports.tokenType = tokenType;


/***/ }),

/***/ 361:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cst = __nccwpck_require__(3461);

/*
START -> stream

stream
  directive -> line-end -> stream
  indent + line-end -> stream
  [else] -> line-start

line-end
  comment -> line-end
  newline -> .
  input-end -> END

line-start
  doc-start -> doc
  doc-end -> stream
  [else] -> indent -> block-start

block-start
  seq-item-start -> block-start
  explicit-key-start -> block-start
  map-value-start -> block-start
  [else] -> doc

doc
  line-end -> line-start
  spaces -> doc
  anchor -> doc
  tag -> doc
  flow-start -> flow -> doc
  flow-end -> error -> doc
  seq-item-start -> error -> doc
  explicit-key-start -> error -> doc
  map-value-start -> doc
  alias -> doc
  quote-start -> quoted-scalar -> doc
  block-scalar-header -> line-end -> block-scalar(min) -> line-start
  [else] -> plain-scalar(false, min) -> doc

flow
  line-end -> flow
  spaces -> flow
  anchor -> flow
  tag -> flow
  flow-start -> flow -> flow
  flow-end -> .
  seq-item-start -> error -> flow
  explicit-key-start -> flow
  map-value-start -> flow
  alias -> flow
  quote-start -> quoted-scalar -> flow
  comma -> flow
  [else] -> plain-scalar(true, 0) -> flow

quoted-scalar
  quote-end -> .
  [else] -> quoted-scalar

block-scalar(min)
  newline + peek(indent < min) -> .
  [else] -> block-scalar(min)

plain-scalar(is-flow, min)
  scalar-end(is-flow) -> .
  peek(newline + (indent < min)) -> .
  [else] -> plain-scalar(min)
*/
function isEmpty(ch) {
    switch (ch) {
        case undefined:
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            return true;
        default:
            return false;
    }
}
const hexDigits = new Set('0123456789ABCDEFabcdef');
const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const flowIndicatorChars = new Set(',[]{}');
const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
const isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
/**
 * Splits an input string into lexical tokens, i.e. smaller strings that are
 * easily identifiable by `tokens.tokenType()`.
 *
 * Lexing starts always in a "stream" context. Incomplete input may be buffered
 * until a complete token can be emitted.
 *
 * In addition to slices of the original input, the following control characters
 * may also be emitted:
 *
 * - `\x02` (Start of Text): A document starts with the next token
 * - `\x18` (Cancel): Unexpected end of flow-mode (indicates an error)
 * - `\x1f` (Unit Separator): Next token is a scalar value
 * - `\u{FEFF}` (Byte order mark): Emitted separately outside documents
 */
class Lexer {
    constructor() {
        /**
         * Flag indicating whether the end of the current buffer marks the end of
         * all input
         */
        this.atEnd = false;
        /**
         * Explicit indent set in block scalar header, as an offset from the current
         * minimum indent, so e.g. set to 1 from a header `|2+`. Set to -1 if not
         * explicitly set.
         */
        this.blockScalarIndent = -1;
        /**
         * Block scalars that include a + (keep) chomping indicator in their header
         * include trailing empty lines, which are otherwise excluded from the
         * scalar's contents.
         */
        this.blockScalarKeep = false;
        /** Current input */
        this.buffer = '';
        /**
         * Flag noting whether the map value indicator : can immediately follow this
         * node within a flow context.
         */
        this.flowKey = false;
        /** Count of surrounding flow collection levels. */
        this.flowLevel = 0;
        /**
         * Minimum level of indentation required for next lines to be parsed as a
         * part of the current scalar value.
         */
        this.indentNext = 0;
        /** Indentation level of the current line. */
        this.indentValue = 0;
        /** Position of the next \n character. */
        this.lineEndPos = null;
        /** Stores the state of the lexer if reaching the end of incpomplete input */
        this.next = null;
        /** A pointer to `buffer`; the current position of the lexer. */
        this.pos = 0;
    }
    /**
     * Generate YAML tokens from the `source` string. If `incomplete`,
     * a part of the last line may be left as a buffer for the next call.
     *
     * @returns A generator of lexical tokens
     */
    *lex(source, incomplete = false) {
        if (source) {
            if (typeof source !== 'string')
                throw TypeError('source is not a string');
            this.buffer = this.buffer ? this.buffer + source : source;
            this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? 'stream';
        while (next && (incomplete || this.hasChars(1)))
            next = yield* this.parseNext(next);
    }
    atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === ' ' || ch === '\t')
            ch = this.buffer[++i];
        if (!ch || ch === '#' || ch === '\n')
            return true;
        if (ch === '\r')
            return this.buffer[i + 1] === '\n';
        return false;
    }
    charAt(n) {
        return this.buffer[this.pos + n];
    }
    continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
            let indent = 0;
            while (ch === ' ')
                ch = this.buffer[++indent + offset];
            if (ch === '\r') {
                const next = this.buffer[indent + offset + 1];
                if (next === '\n' || (!next && !this.atEnd))
                    return offset + indent + 1;
            }
            return ch === '\n' || indent >= this.indentNext || (!ch && !this.atEnd)
                ? offset + indent
                : -1;
        }
        if (ch === '-' || ch === '.') {
            const dt = this.buffer.substr(offset, 3);
            if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3]))
                return -1;
        }
        return offset;
    }
    getLine() {
        let end = this.lineEndPos;
        if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
            end = this.buffer.indexOf('\n', this.pos);
            this.lineEndPos = end;
        }
        if (end === -1)
            return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === '\r')
            end -= 1;
        return this.buffer.substring(this.pos, end);
    }
    hasChars(n) {
        return this.pos + n <= this.buffer.length;
    }
    setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
    }
    peek(n) {
        return this.buffer.substr(this.pos, n);
    }
    *parseNext(next) {
        switch (next) {
            case 'stream':
                return yield* this.parseStream();
            case 'line-start':
                return yield* this.parseLineStart();
            case 'block-start':
                return yield* this.parseBlockStart();
            case 'doc':
                return yield* this.parseDocument();
            case 'flow':
                return yield* this.parseFlowCollection();
            case 'quoted-scalar':
                return yield* this.parseQuotedScalar();
            case 'block-scalar':
                return yield* this.parseBlockScalar();
            case 'plain-scalar':
                return yield* this.parsePlainScalar();
        }
    }
    *parseStream() {
        let line = this.getLine();
        if (line === null)
            return this.setNext('stream');
        if (line[0] === cst.BOM) {
            yield* this.pushCount(1);
            line = line.substring(1);
        }
        if (line[0] === '%') {
            let dirEnd = line.length;
            let cs = line.indexOf('#');
            while (cs !== -1) {
                const ch = line[cs - 1];
                if (ch === ' ' || ch === '\t') {
                    dirEnd = cs - 1;
                    break;
                }
                else {
                    cs = line.indexOf('#', cs + 1);
                }
            }
            while (true) {
                const ch = line[dirEnd - 1];
                if (ch === ' ' || ch === '\t')
                    dirEnd -= 1;
                else
                    break;
            }
            const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
            yield* this.pushCount(line.length - n); // possible comment
            this.pushNewline();
            return 'stream';
        }
        if (this.atLineEnd()) {
            const sp = yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - sp);
            yield* this.pushNewline();
            return 'stream';
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
    }
    *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
            return this.setNext('line-start');
        if (ch === '-' || ch === '.') {
            if (!this.atEnd && !this.hasChars(4))
                return this.setNext('line-start');
            const s = this.peek(3);
            if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
                yield* this.pushCount(3);
                this.indentValue = 0;
                this.indentNext = 0;
                return s === '---' ? 'doc' : 'stream';
            }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
            this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
    }
    *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
            return this.setNext('block-start');
        if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
            const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
            this.indentNext = this.indentValue + 1;
            this.indentValue += n;
            return 'block-start';
        }
        return 'doc';
    }
    *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
            return this.setNext('doc');
        let n = yield* this.pushIndicators();
        switch (line[n]) {
            case '#':
                yield* this.pushCount(line.length - n);
            // fallthrough
            case undefined:
                yield* this.pushNewline();
                return yield* this.parseLineStart();
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel = 1;
                return 'flow';
            case '}':
            case ']':
                // this is an error
                yield* this.pushCount(1);
                return 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'doc';
            case '"':
            case "'":
                return yield* this.parseQuotedScalar();
            case '|':
            case '>':
                n += yield* this.parseBlockScalarHeader();
                n += yield* this.pushSpaces(true);
                yield* this.pushCount(line.length - n);
                yield* this.pushNewline();
                return yield* this.parseBlockScalar();
            default:
                return yield* this.parsePlainScalar();
        }
    }
    *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
            nl = yield* this.pushNewline();
            if (nl > 0) {
                sp = yield* this.pushSpaces(false);
                this.indentValue = indent = sp;
            }
            else {
                sp = 0;
            }
            sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
            return this.setNext('flow');
        if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') ||
            (indent === 0 &&
                (line.startsWith('---') || line.startsWith('...')) &&
                isEmpty(line[3]))) {
            // Allowing for the terminal ] or } at the same (rather than greater)
            // indent level as the initial [ or { is technically invalid, but
            // failing here would be surprising to users.
            const atFlowEndMarker = indent === this.indentNext - 1 &&
                this.flowLevel === 1 &&
                (line[0] === ']' || line[0] === '}');
            if (!atFlowEndMarker) {
                // this is an error
                this.flowLevel = 0;
                yield cst.FLOW_END;
                return yield* this.parseLineStart();
            }
        }
        let n = 0;
        while (line[n] === ',') {
            n += yield* this.pushCount(1);
            n += yield* this.pushSpaces(true);
            this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
            case undefined:
                return 'flow';
            case '#':
                yield* this.pushCount(line.length - n);
                return 'flow';
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel += 1;
                return 'flow';
            case '}':
            case ']':
                yield* this.pushCount(1);
                this.flowKey = true;
                this.flowLevel -= 1;
                return this.flowLevel ? 'flow' : 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'flow';
            case '"':
            case "'":
                this.flowKey = true;
                return yield* this.parseQuotedScalar();
            case ':': {
                const next = this.charAt(1);
                if (this.flowKey || isEmpty(next) || next === ',') {
                    this.flowKey = false;
                    yield* this.pushCount(1);
                    yield* this.pushSpaces(true);
                    return 'flow';
                }
            }
            // fallthrough
            default:
                this.flowKey = false;
                return yield* this.parsePlainScalar();
        }
    }
    *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
            while (end !== -1 && this.buffer[end + 1] === "'")
                end = this.buffer.indexOf("'", end + 2);
        }
        else {
            // double-quote
            while (end !== -1) {
                let n = 0;
                while (this.buffer[end - 1 - n] === '\\')
                    n += 1;
                if (n % 2 === 0)
                    break;
                end = this.buffer.indexOf('"', end + 1);
            }
        }
        // Only looking for newlines within the quotes
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf('\n', this.pos);
        if (nl !== -1) {
            while (nl !== -1) {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = qb.indexOf('\n', cs);
            }
            if (nl !== -1) {
                // this is an error caused by an unexpected unindent
                end = nl - (qb[nl - 1] === '\r' ? 2 : 1);
            }
        }
        if (end === -1) {
            if (!this.atEnd)
                return this.setNext('quoted-scalar');
            end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? 'flow' : 'doc';
    }
    *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
            const ch = this.buffer[++i];
            if (ch === '+')
                this.blockScalarKeep = true;
            else if (ch > '0' && ch <= '9')
                this.blockScalarIndent = Number(ch) - 1;
            else if (ch !== '-')
                break;
        }
        return yield* this.pushUntil(ch => isEmpty(ch) || ch === '#');
    }
    *parseBlockScalar() {
        let nl = this.pos - 1; // may be -1 if this.pos === 0
        let indent = 0;
        let ch;
        loop: for (let i = this.pos; (ch = this.buffer[i]); ++i) {
            switch (ch) {
                case ' ':
                    indent += 1;
                    break;
                case '\n':
                    nl = i;
                    indent = 0;
                    break;
                case '\r': {
                    const next = this.buffer[i + 1];
                    if (!next && !this.atEnd)
                        return this.setNext('block-scalar');
                    if (next === '\n')
                        break;
                } // fallthrough
                default:
                    break loop;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('block-scalar');
        if (indent >= this.indentNext) {
            if (this.blockScalarIndent === -1)
                this.indentNext = indent;
            else {
                this.indentNext =
                    this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
            }
            do {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = this.buffer.indexOf('\n', cs);
            } while (nl !== -1);
            if (nl === -1) {
                if (!this.atEnd)
                    return this.setNext('block-scalar');
                nl = this.buffer.length;
            }
        }
        // Trailing insufficiently indented tabs are invalid.
        // To catch that during parsing, we include them in the block scalar value.
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === ' ')
            ch = this.buffer[++i];
        if (ch === '\t') {
            while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n')
                ch = this.buffer[++i];
            nl = i - 1;
        }
        else if (!this.blockScalarKeep) {
            do {
                let i = nl - 1;
                let ch = this.buffer[i];
                if (ch === '\r')
                    ch = this.buffer[--i];
                const lastChar = i; // Drop the line if last char not more indented
                while (ch === ' ')
                    ch = this.buffer[--i];
                if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar)
                    nl = i;
                else
                    break;
            } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
    }
    *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while ((ch = this.buffer[++i])) {
            if (ch === ':') {
                const next = this.buffer[i + 1];
                if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next)))
                    break;
                end = i;
            }
            else if (isEmpty(ch)) {
                let next = this.buffer[i + 1];
                if (ch === '\r') {
                    if (next === '\n') {
                        i += 1;
                        ch = '\n';
                        next = this.buffer[i + 1];
                    }
                    else
                        end = i;
                }
                if (next === '#' || (inFlow && flowIndicatorChars.has(next)))
                    break;
                if (ch === '\n') {
                    const cs = this.continueScalar(i + 1);
                    if (cs === -1)
                        break;
                    i = Math.max(i, cs - 2); // to advance, but still account for ' #'
                }
            }
            else {
                if (inFlow && flowIndicatorChars.has(ch))
                    break;
                end = i;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('plain-scalar');
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? 'flow' : 'doc';
    }
    *pushCount(n) {
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos += n;
            return n;
        }
        return 0;
    }
    *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
            yield s;
            this.pos += s.length;
            return s.length;
        }
        else if (allowEmpty)
            yield '';
        return 0;
    }
    *pushIndicators() {
        let n = 0;
        loop: while (true) {
            switch (this.charAt(0)) {
                case '!':
                    n += yield* this.pushTag();
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '&':
                    n += yield* this.pushUntil(isNotAnchorChar);
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '-': // this is an error
                case '?': // this is an error outside flow collections
                case ':': {
                    const inFlow = this.flowLevel > 0;
                    const ch1 = this.charAt(1);
                    if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1))) {
                        if (!inFlow)
                            this.indentNext = this.indentValue + 1;
                        else if (this.flowKey)
                            this.flowKey = false;
                        n += yield* this.pushCount(1);
                        n += yield* this.pushSpaces(true);
                        continue loop;
                    }
                }
            }
            break loop;
        }
        return n;
    }
    *pushTag() {
        if (this.charAt(1) === '<') {
            let i = this.pos + 2;
            let ch = this.buffer[i];
            while (!isEmpty(ch) && ch !== '>')
                ch = this.buffer[++i];
            return yield* this.pushToIndex(ch === '>' ? i + 1 : i, false);
        }
        else {
            let i = this.pos + 1;
            let ch = this.buffer[i];
            while (ch) {
                if (tagChars.has(ch))
                    ch = this.buffer[++i];
                else if (ch === '%' &&
                    hexDigits.has(this.buffer[i + 1]) &&
                    hexDigits.has(this.buffer[i + 2])) {
                    ch = this.buffer[(i += 3)];
                }
                else
                    break;
            }
            return yield* this.pushToIndex(i, false);
        }
    }
    *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === '\n')
            return yield* this.pushCount(1);
        else if (ch === '\r' && this.charAt(1) === '\n')
            return yield* this.pushCount(2);
        else
            return 0;
    }
    *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
            ch = this.buffer[++i];
        } while (ch === ' ' || (allowTabs && ch === '\t'));
        const n = i - this.pos;
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos = i;
        }
        return n;
    }
    *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
            ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
    }
}

exports.Lexer = Lexer;


/***/ }),

/***/ 6628:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Tracks newlines during parsing in order to provide an efficient API for
 * determining the one-indexed `{ line, col }` position for any offset
 * within the input.
 */
class LineCounter {
    constructor() {
        this.lineStarts = [];
        /**
         * Should be called in ascending order. Otherwise, call
         * `lineCounter.lineStarts.sort()` before calling `linePos()`.
         */
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        /**
         * Performs a binary search and returns the 1-indexed { line, col }
         * position of `offset`. If `line === 0`, `addNewLine` has never been
         * called or `offset` is before the first known newline.
         */
        this.linePos = (offset) => {
            let low = 0;
            let high = this.lineStarts.length;
            while (low < high) {
                const mid = (low + high) >> 1; // Math.floor((low + high) / 2)
                if (this.lineStarts[mid] < offset)
                    low = mid + 1;
                else
                    high = mid;
            }
            if (this.lineStarts[low] === offset)
                return { line: low + 1, col: 1 };
            if (low === 0)
                return { line: 0, col: offset };
            const start = this.lineStarts[low - 1];
            return { line: low, col: offset - start + 1 };
        };
    }
}

exports.LineCounter = LineCounter;


/***/ }),

/***/ 3456:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);

function includesToken(list, type) {
    for (let i = 0; i < list.length; ++i)
        if (list[i].type === type)
            return true;
    return false;
}
function findNonEmptyIndex(list) {
    for (let i = 0; i < list.length; ++i) {
        switch (list[i].type) {
            case 'space':
            case 'comment':
            case 'newline':
                break;
            default:
                return i;
        }
    }
    return -1;
}
function isFlowToken(token) {
    switch (token?.type) {
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'flow-collection':
            return true;
        default:
            return false;
    }
}
function getPrevProps(parent) {
    switch (parent.type) {
        case 'document':
            return parent.start;
        case 'block-map': {
            const it = parent.items[parent.items.length - 1];
            return it.sep ?? it.start;
        }
        case 'block-seq':
            return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
            return [];
    }
}
/** Note: May modify input array */
function getFirstKeyStartProps(prev) {
    if (prev.length === 0)
        return [];
    let i = prev.length;
    loop: while (--i >= 0) {
        switch (prev[i].type) {
            case 'doc-start':
            case 'explicit-key-ind':
            case 'map-value-ind':
            case 'seq-item-ind':
            case 'newline':
                break loop;
        }
    }
    while (prev[++i]?.type === 'space') {
        /* loop */
    }
    return prev.splice(i, prev.length);
}
function arrayPushArray(target, source) {
    // May exhaust call stack with large `source` array
    if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
    else
        for (let i = 0; i < source.length; ++i)
            target.push(source[i]);
}
function fixFlowSeqItems(fc) {
    if (fc.start.type === 'flow-seq-start') {
        for (const it of fc.items) {
            if (it.sep &&
                !it.value &&
                !includesToken(it.start, 'explicit-key-ind') &&
                !includesToken(it.sep, 'map-value-ind')) {
                if (it.key)
                    it.value = it.key;
                delete it.key;
                if (isFlowToken(it.value)) {
                    if (it.value.end)
                        arrayPushArray(it.value.end, it.sep);
                    else
                        it.value.end = it.sep;
                }
                else
                    arrayPushArray(it.start, it.sep);
                delete it.sep;
            }
        }
    }
}
/**
 * A YAML concrete syntax tree (CST) parser
 *
 * ```ts
 * const src: string = ...
 * for (const token of new Parser().parse(src)) {
 *   // token: Token
 * }
 * ```
 *
 * To use the parser with a user-provided lexer:
 *
 * ```ts
 * function* parse(source: string, lexer: Lexer) {
 *   const parser = new Parser()
 *   for (const lexeme of lexer.lex(source))
 *     yield* parser.next(lexeme)
 *   yield* parser.end()
 * }
 *
 * const src: string = ...
 * const lexer = new Lexer()
 * for (const token of parse(src, lexer)) {
 *   // token: Token
 * }
 * ```
 */
class Parser {
    /**
     * @param onNewLine - If defined, called separately with the start position of
     *   each new line (in `parse()`, including the start of input).
     */
    constructor(onNewLine) {
        /** If true, space and sequence indicators count as indentation */
        this.atNewLine = true;
        /** If true, next token is a scalar value */
        this.atScalar = false;
        /** Current indentation level */
        this.indent = 0;
        /** Current offset since the start of parsing */
        this.offset = 0;
        /** On the same line with a block map key */
        this.onKeyLine = false;
        /** Top indicates the node that's currently being built */
        this.stack = [];
        /** The source of the current token, set in parse() */
        this.source = '';
        /** The type of the current token, set in parse() */
        this.type = '';
        // Must be defined after `next()`
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
    }
    /**
     * Parse `source` as a YAML stream.
     * If `incomplete`, a part of the last line may be left as a buffer for the next call.
     *
     * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
     *
     * @returns A generator of tokens representing each directive, document, and other structure.
     */
    *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
            this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
            yield* this.next(lexeme);
        if (!incomplete)
            yield* this.end();
    }
    /**
     * Advance the parser by the `source` of one lexical token.
     */
    *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
            console.log('|', cst.prettyToken(source));
        if (this.atScalar) {
            this.atScalar = false;
            yield* this.step();
            this.offset += source.length;
            return;
        }
        const type = cst.tokenType(source);
        if (!type) {
            const message = `Not a YAML token: ${source}`;
            yield* this.pop({ type: 'error', offset: this.offset, message, source });
            this.offset += source.length;
        }
        else if (type === 'scalar') {
            this.atNewLine = false;
            this.atScalar = true;
            this.type = 'scalar';
        }
        else {
            this.type = type;
            yield* this.step();
            switch (type) {
                case 'newline':
                    this.atNewLine = true;
                    this.indent = 0;
                    if (this.onNewLine)
                        this.onNewLine(this.offset + source.length);
                    break;
                case 'space':
                    if (this.atNewLine && source[0] === ' ')
                        this.indent += source.length;
                    break;
                case 'explicit-key-ind':
                case 'map-value-ind':
                case 'seq-item-ind':
                    if (this.atNewLine)
                        this.indent += source.length;
                    break;
                case 'doc-mode':
                case 'flow-error-end':
                    return;
                default:
                    this.atNewLine = false;
            }
            this.offset += source.length;
        }
    }
    /** Call at end of input to push out any remaining constructions */
    *end() {
        while (this.stack.length > 0)
            yield* this.pop();
    }
    get sourceToken() {
        const st = {
            type: this.type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
        return st;
    }
    *step() {
        const top = this.peek(1);
        if (this.type === 'doc-end' && top?.type !== 'doc-end') {
            while (this.stack.length > 0)
                yield* this.pop();
            this.stack.push({
                type: 'doc-end',
                offset: this.offset,
                source: this.source
            });
            return;
        }
        if (!top)
            return yield* this.stream();
        switch (top.type) {
            case 'document':
                return yield* this.document(top);
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return yield* this.scalar(top);
            case 'block-scalar':
                return yield* this.blockScalar(top);
            case 'block-map':
                return yield* this.blockMap(top);
            case 'block-seq':
                return yield* this.blockSequence(top);
            case 'flow-collection':
                return yield* this.flowCollection(top);
            case 'doc-end':
                return yield* this.documentEnd(top);
        }
        /* istanbul ignore next should not happen */
        yield* this.pop();
    }
    peek(n) {
        return this.stack[this.stack.length - n];
    }
    *pop(error) {
        const token = error ?? this.stack.pop();
        /* istanbul ignore if should not happen */
        if (!token) {
            const message = 'Tried to pop an empty stack';
            yield { type: 'error', offset: this.offset, source: '', message };
        }
        else if (this.stack.length === 0) {
            yield token;
        }
        else {
            const top = this.peek(1);
            if (token.type === 'block-scalar') {
                // Block scalars use their parent rather than header indent
                token.indent = 'indent' in top ? top.indent : 0;
            }
            else if (token.type === 'flow-collection' && top.type === 'document') {
                // Ignore all indent for top-level flow collections
                token.indent = 0;
            }
            if (token.type === 'flow-collection')
                fixFlowSeqItems(token);
            switch (top.type) {
                case 'document':
                    top.value = token;
                    break;
                case 'block-scalar':
                    top.props.push(token); // error
                    break;
                case 'block-map': {
                    const it = top.items[top.items.length - 1];
                    if (it.value) {
                        top.items.push({ start: [], key: token, sep: [] });
                        this.onKeyLine = true;
                        return;
                    }
                    else if (it.sep) {
                        it.value = token;
                    }
                    else {
                        Object.assign(it, { key: token, sep: [] });
                        this.onKeyLine = !it.explicitKey;
                        return;
                    }
                    break;
                }
                case 'block-seq': {
                    const it = top.items[top.items.length - 1];
                    if (it.value)
                        top.items.push({ start: [], value: token });
                    else
                        it.value = token;
                    break;
                }
                case 'flow-collection': {
                    const it = top.items[top.items.length - 1];
                    if (!it || it.value)
                        top.items.push({ start: [], key: token, sep: [] });
                    else if (it.sep)
                        it.value = token;
                    else
                        Object.assign(it, { key: token, sep: [] });
                    return;
                }
                /* istanbul ignore next should not happen */
                default:
                    yield* this.pop();
                    yield* this.pop(token);
            }
            if ((top.type === 'document' ||
                top.type === 'block-map' ||
                top.type === 'block-seq') &&
                (token.type === 'block-map' || token.type === 'block-seq')) {
                const last = token.items[token.items.length - 1];
                if (last &&
                    !last.sep &&
                    !last.value &&
                    last.start.length > 0 &&
                    findNonEmptyIndex(last.start) === -1 &&
                    (token.indent === 0 ||
                        last.start.every(st => st.type !== 'comment' || st.indent < token.indent))) {
                    if (top.type === 'document')
                        top.end = last.start;
                    else
                        top.items.push({ start: last.start });
                    token.items.splice(-1, 1);
                }
            }
        }
    }
    *stream() {
        switch (this.type) {
            case 'directive-line':
                yield { type: 'directive', offset: this.offset, source: this.source };
                return;
            case 'byte-order-mark':
            case 'space':
            case 'comment':
            case 'newline':
                yield this.sourceToken;
                return;
            case 'doc-mode':
            case 'doc-start': {
                const doc = {
                    type: 'document',
                    offset: this.offset,
                    start: []
                };
                if (this.type === 'doc-start')
                    doc.start.push(this.sourceToken);
                this.stack.push(doc);
                return;
            }
        }
        yield {
            type: 'error',
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML stream`,
            source: this.source
        };
    }
    *document(doc) {
        if (doc.value)
            return yield* this.lineEnd(doc);
        switch (this.type) {
            case 'doc-start': {
                if (findNonEmptyIndex(doc.start) !== -1) {
                    yield* this.pop();
                    yield* this.step();
                }
                else
                    doc.start.push(this.sourceToken);
                return;
            }
            case 'anchor':
            case 'tag':
            case 'space':
            case 'comment':
            case 'newline':
                doc.start.push(this.sourceToken);
                return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
            this.stack.push(bv);
        else {
            yield {
                type: 'error',
                offset: this.offset,
                message: `Unexpected ${this.type} token in YAML document`,
                source: this.source
            };
        }
    }
    *scalar(scalar) {
        if (this.type === 'map-value-ind') {
            const prev = getPrevProps(this.peek(2));
            const start = getFirstKeyStartProps(prev);
            let sep;
            if (scalar.end) {
                sep = scalar.end;
                sep.push(this.sourceToken);
                delete scalar.end;
            }
            else
                sep = [this.sourceToken];
            const map = {
                type: 'block-map',
                offset: scalar.offset,
                indent: scalar.indent,
                items: [{ start, key: scalar, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
        }
        else
            yield* this.lineEnd(scalar);
    }
    *blockScalar(scalar) {
        switch (this.type) {
            case 'space':
            case 'comment':
            case 'newline':
                scalar.props.push(this.sourceToken);
                return;
            case 'scalar':
                scalar.source = this.source;
                // block-scalar source includes trailing newline
                this.atNewLine = true;
                this.indent = 0;
                if (this.onNewLine) {
                    let nl = this.source.indexOf('\n') + 1;
                    while (nl !== 0) {
                        this.onNewLine(this.offset + nl);
                        nl = this.source.indexOf('\n', nl) + 1;
                    }
                }
                yield* this.pop();
                break;
            /* istanbul ignore next should not happen */
            default:
                yield* this.pop();
                yield* this.step();
        }
    }
    *blockMap(map) {
        const it = map.items[map.items.length - 1];
        // it.sep is true-ish if pair already has key or : separator
        switch (this.type) {
            case 'newline':
                this.onKeyLine = false;
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    it.start.push(this.sourceToken);
                }
                return;
            case 'space':
            case 'comment':
                if (it.value) {
                    map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    if (this.atIndentedComment(it.start, map.indent)) {
                        const prev = map.items[map.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            map.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
        }
        if (this.indent >= map.indent) {
            const atMapIndent = !this.onKeyLine && this.indent === map.indent;
            const atNextItem = atMapIndent &&
                (it.sep || it.explicitKey) &&
                this.type !== 'seq-item-ind';
            // For empty nodes, assign newline-separated not indented empty tokens to following node
            let start = [];
            if (atNextItem && it.sep && !it.value) {
                const nl = [];
                for (let i = 0; i < it.sep.length; ++i) {
                    const st = it.sep[i];
                    switch (st.type) {
                        case 'newline':
                            nl.push(i);
                            break;
                        case 'space':
                            break;
                        case 'comment':
                            if (st.indent > map.indent)
                                nl.length = 0;
                            break;
                        default:
                            nl.length = 0;
                    }
                }
                if (nl.length >= 2)
                    start = it.sep.splice(nl[1]);
            }
            switch (this.type) {
                case 'anchor':
                case 'tag':
                    if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        it.sep.push(this.sourceToken);
                    }
                    else {
                        it.start.push(this.sourceToken);
                    }
                    return;
                case 'explicit-key-ind':
                    if (!it.sep && !it.explicitKey) {
                        it.start.push(this.sourceToken);
                        it.explicitKey = true;
                    }
                    else if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start, explicitKey: true });
                    }
                    else {
                        this.stack.push({
                            type: 'block-map',
                            offset: this.offset,
                            indent: this.indent,
                            items: [{ start: [this.sourceToken], explicitKey: true }]
                        });
                    }
                    this.onKeyLine = true;
                    return;
                case 'map-value-ind':
                    if (it.explicitKey) {
                        if (!it.sep) {
                            if (includesToken(it.start, 'newline')) {
                                Object.assign(it, { key: null, sep: [this.sourceToken] });
                            }
                            else {
                                const start = getFirstKeyStartProps(it.start);
                                this.stack.push({
                                    type: 'block-map',
                                    offset: this.offset,
                                    indent: this.indent,
                                    items: [{ start, key: null, sep: [this.sourceToken] }]
                                });
                            }
                        }
                        else if (it.value) {
                            map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else if (isFlowToken(it.key) &&
                            !includesToken(it.sep, 'newline')) {
                            const start = getFirstKeyStartProps(it.start);
                            const key = it.key;
                            const sep = it.sep;
                            sep.push(this.sourceToken);
                            // @ts-expect-error type guard is wrong here
                            delete it.key;
                            // @ts-expect-error type guard is wrong here
                            delete it.sep;
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key, sep }]
                            });
                        }
                        else if (start.length > 0) {
                            // Not actually at next item
                            it.sep = it.sep.concat(start, this.sourceToken);
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    else {
                        if (!it.sep) {
                            Object.assign(it, { key: null, sep: [this.sourceToken] });
                        }
                        else if (it.value || atNextItem) {
                            map.items.push({ start, key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start: [], key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    this.onKeyLine = true;
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (atNextItem || it.value) {
                        map.items.push({ start, key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        this.stack.push(fs);
                    }
                    else {
                        Object.assign(it, { key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    return;
                }
                default: {
                    const bv = this.startBlockValue(map);
                    if (bv) {
                        if (bv.type === 'block-seq') {
                            if (!it.explicitKey &&
                                it.sep &&
                                !includesToken(it.sep, 'newline')) {
                                yield* this.pop({
                                    type: 'error',
                                    offset: this.offset,
                                    message: 'Unexpected block-seq-ind on same line with key',
                                    source: this.source
                                });
                                return;
                            }
                        }
                        else if (atMapIndent) {
                            map.items.push({ start });
                        }
                        this.stack.push(bv);
                        return;
                    }
                }
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
            case 'newline':
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        seq.items.push({ start: [this.sourceToken] });
                }
                else
                    it.start.push(this.sourceToken);
                return;
            case 'space':
            case 'comment':
                if (it.value)
                    seq.items.push({ start: [this.sourceToken] });
                else {
                    if (this.atIndentedComment(it.start, seq.indent)) {
                        const prev = seq.items[seq.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            seq.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
            case 'anchor':
            case 'tag':
                if (it.value || this.indent <= seq.indent)
                    break;
                it.start.push(this.sourceToken);
                return;
            case 'seq-item-ind':
                if (this.indent !== seq.indent)
                    break;
                if (it.value || includesToken(it.start, 'seq-item-ind'))
                    seq.items.push({ start: [this.sourceToken] });
                else
                    it.start.push(this.sourceToken);
                return;
        }
        if (this.indent > seq.indent) {
            const bv = this.startBlockValue(seq);
            if (bv) {
                this.stack.push(bv);
                return;
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === 'flow-error-end') {
            let top;
            do {
                yield* this.pop();
                top = this.peek(1);
            } while (top?.type === 'flow-collection');
        }
        else if (fc.end.length === 0) {
            switch (this.type) {
                case 'comma':
                case 'explicit-key-ind':
                    if (!it || it.sep)
                        fc.items.push({ start: [this.sourceToken] });
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'map-value-ind':
                    if (!it || it.value)
                        fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        Object.assign(it, { key: null, sep: [this.sourceToken] });
                    return;
                case 'space':
                case 'comment':
                case 'newline':
                case 'anchor':
                case 'tag':
                    if (!it || it.value)
                        fc.items.push({ start: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (!it || it.value)
                        fc.items.push({ start: [], key: fs, sep: [] });
                    else if (it.sep)
                        this.stack.push(fs);
                    else
                        Object.assign(it, { key: fs, sep: [] });
                    return;
                }
                case 'flow-map-end':
                case 'flow-seq-end':
                    fc.end.push(this.sourceToken);
                    return;
            }
            const bv = this.startBlockValue(fc);
            /* istanbul ignore else should not happen */
            if (bv)
                this.stack.push(bv);
            else {
                yield* this.pop();
                yield* this.step();
            }
        }
        else {
            const parent = this.peek(2);
            if (parent.type === 'block-map' &&
                ((this.type === 'map-value-ind' && parent.indent === fc.indent) ||
                    (this.type === 'newline' &&
                        !parent.items[parent.items.length - 1].sep))) {
                yield* this.pop();
                yield* this.step();
            }
            else if (this.type === 'map-value-ind' &&
                parent.type !== 'flow-collection') {
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                fixFlowSeqItems(fc);
                const sep = fc.end.splice(1, fc.end.length);
                sep.push(this.sourceToken);
                const map = {
                    type: 'block-map',
                    offset: fc.offset,
                    indent: fc.indent,
                    items: [{ start, key: fc, sep }]
                };
                this.onKeyLine = true;
                this.stack[this.stack.length - 1] = map;
            }
            else {
                yield* this.lineEnd(fc);
            }
        }
    }
    flowScalar(type) {
        if (this.onNewLine) {
            let nl = this.source.indexOf('\n') + 1;
            while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf('\n', nl) + 1;
            }
        }
        return {
            type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
    }
    startBlockValue(parent) {
        switch (this.type) {
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return this.flowScalar(this.type);
            case 'block-scalar-header':
                return {
                    type: 'block-scalar',
                    offset: this.offset,
                    indent: this.indent,
                    props: [this.sourceToken],
                    source: ''
                };
            case 'flow-map-start':
            case 'flow-seq-start':
                return {
                    type: 'flow-collection',
                    offset: this.offset,
                    indent: this.indent,
                    start: this.sourceToken,
                    items: [],
                    end: []
                };
            case 'seq-item-ind':
                return {
                    type: 'block-seq',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [this.sourceToken] }]
                };
            case 'explicit-key-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                start.push(this.sourceToken);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, explicitKey: true }]
                };
            }
            case 'map-value-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                };
            }
        }
        return null;
    }
    atIndentedComment(start, indent) {
        if (this.type !== 'comment')
            return false;
        if (this.indent <= indent)
            return false;
        return start.every(st => st.type === 'newline' || st.type === 'space');
    }
    *documentEnd(docEnd) {
        if (this.type !== 'doc-mode') {
            if (docEnd.end)
                docEnd.end.push(this.sourceToken);
            else
                docEnd.end = [this.sourceToken];
            if (this.type === 'newline')
                yield* this.pop();
        }
    }
    *lineEnd(token) {
        switch (this.type) {
            case 'comma':
            case 'doc-start':
            case 'doc-end':
            case 'flow-seq-end':
            case 'flow-map-end':
            case 'map-value-ind':
                yield* this.pop();
                yield* this.step();
                break;
            case 'newline':
                this.onKeyLine = false;
            // fallthrough
            case 'space':
            case 'comment':
            default:
                // all other values are errors
                if (token.end)
                    token.end.push(this.sourceToken);
                else
                    token.end = [this.sourceToken];
                if (this.type === 'newline')
                    yield* this.pop();
        }
    }
}

exports.Parser = Parser;


/***/ }),

/***/ 4047:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var log = __nccwpck_require__(7249);
var identity = __nccwpck_require__(1127);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);

function parseOptions(options) {
    const prettyErrors = options.prettyErrors !== false;
    const lineCounter$1 = options.lineCounter || (prettyErrors && new lineCounter.LineCounter()) || null;
    return { lineCounter: lineCounter$1, prettyErrors };
}
/**
 * Parse the input as a stream of YAML documents.
 *
 * Documents should be separated from each other by `...` or `---` marker lines.
 *
 * @returns If an empty `docs` array is returned, it will be of type
 *   EmptyStream and contain additional stream information. In
 *   TypeScript, you should use `'empty' in docs` as a type guard for it.
 */
function parseAllDocuments(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    const docs = Array.from(composer$1.compose(parser$1.parse(source)));
    if (prettyErrors && lineCounter)
        for (const doc of docs) {
            doc.errors.forEach(errors.prettifyError(source, lineCounter));
            doc.warnings.forEach(errors.prettifyError(source, lineCounter));
        }
    if (docs.length > 0)
        return docs;
    return Object.assign([], { empty: true }, composer$1.streamInfo());
}
/** Parse an input string into a single YAML.Document */
function parseDocument(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    // `doc` is always set by compose.end(true) at the very latest
    let doc = null;
    for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
            doc = _doc;
        else if (doc.options.logLevel !== 'silent') {
            doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
            break;
        }
    }
    if (prettyErrors && lineCounter) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter));
    }
    return doc;
}
function parse(src, reviver, options) {
    let _reviver = undefined;
    if (typeof reviver === 'function') {
        _reviver = reviver;
    }
    else if (options === undefined && reviver && typeof reviver === 'object') {
        options = reviver;
    }
    const doc = parseDocument(src, options);
    if (!doc)
        return null;
    doc.warnings.forEach(warning => log.warn(doc.options.logLevel, warning));
    if (doc.errors.length > 0) {
        if (doc.options.logLevel !== 'silent')
            throw doc.errors[0];
        else
            doc.errors = [];
    }
    return doc.toJS(Object.assign({ reviver: _reviver }, options));
}
function stringify(value, replacer, options) {
    let _replacer = null;
    if (typeof replacer === 'function' || Array.isArray(replacer)) {
        _replacer = replacer;
    }
    else if (options === undefined && replacer) {
        options = replacer;
    }
    if (typeof options === 'string')
        options = options.length;
    if (typeof options === 'number') {
        const indent = Math.round(options);
        options = indent < 1 ? undefined : indent > 8 ? { indent: 8 } : { indent };
    }
    if (value === undefined) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
            return undefined;
    }
    if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
    return new Document.Document(value, _replacer, options).toString(options);
}

exports.parse = parse;
exports.parseAllDocuments = parseAllDocuments;
exports.parseDocument = parseDocument;
exports.stringify = stringify;


/***/ }),

/***/ 5840:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var tags = __nccwpck_require__(18);

const sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
class Schema {
    constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat)
            ? tags.getTags(compat, 'compat')
            : compat
                ? tags.getTags(null, compat)
                : null;
        this.name = (typeof schema === 'string' && schema) || 'core';
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        // Used by createMap()
        this.sortMapEntries =
            typeof sortMapEntries === 'function'
                ? sortMapEntries
                : sortMapEntries === true
                    ? sortMapEntriesByKey
                    : null;
    }
    clone() {
        const copy = Object.create(Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
    }
}

exports.Schema = Schema;


/***/ }),

/***/ 7451:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLMap = __nccwpck_require__(4454);

const map = {
    collection: 'map',
    default: true,
    nodeClass: YAMLMap.YAMLMap,
    tag: 'tag:yaml.org,2002:map',
    resolve(map, onError) {
        if (!identity.isMap(map))
            onError('Expected a mapping for this tag');
        return map;
    },
    createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
};

exports.map = map;


/***/ }),

/***/ 3632:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const nullTag = {
    identify: value => value == null,
    createNode: () => new Scalar.Scalar(null),
    default: true,
    tag: 'tag:yaml.org,2002:null',
    test: /^(?:~|[Nn]ull|NULL)?$/,
    resolve: () => new Scalar.Scalar(null),
    stringify: ({ source }, ctx) => typeof source === 'string' && nullTag.test.test(source)
        ? source
        : ctx.options.nullStr
};

exports.nullTag = nullTag;


/***/ }),

/***/ 1706:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLSeq = __nccwpck_require__(2223);

const seq = {
    collection: 'seq',
    default: true,
    nodeClass: YAMLSeq.YAMLSeq,
    tag: 'tag:yaml.org,2002:seq',
    resolve(seq, onError) {
        if (!identity.isSeq(seq))
            onError('Expected a sequence for this tag');
        return seq;
    },
    createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
};

exports.seq = seq;


/***/ }),

/***/ 6464:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyString = __nccwpck_require__(3069);

const string = {
    identify: value => typeof value === 'string',
    default: true,
    tag: 'tag:yaml.org,2002:str',
    resolve: str => str,
    stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
    }
};

exports.string = string;


/***/ }),

/***/ 3959:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const boolTag = {
    identify: value => typeof value === 'boolean',
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
    resolve: str => new Scalar.Scalar(str[0] === 't' || str[0] === 'T'),
    stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
            const sv = source[0] === 't' || source[0] === 'T';
            if (value === sv)
                return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
};

exports.boolTag = boolTag;


/***/ }),

/***/ 8405:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: str => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    resolve: str => parseFloat(str),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf('.');
        if (dot !== -1 && str[str.length - 1] === '0')
            node.minFractionDigits = str.length - dot - 1;
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 9874:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
const intResolve = (str, offset, radix, { intAsBigInt }) => (intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix));
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
    return stringifyNumber.stringifyNumber(node);
}
const intOct = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^0o[0-7]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
    stringify: node => intStringify(node, 8, '0o')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^0x[0-9a-fA-F]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 896:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.boolTag,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float
];

exports.schema = schema;


/***/ }),

/***/ 3559:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);

function intIdentify(value) {
    return typeof value === 'bigint' || Number.isInteger(value);
}
const stringifyJSON = ({ value }) => JSON.stringify(value);
const jsonScalars = [
    {
        identify: value => typeof value === 'string',
        default: true,
        tag: 'tag:yaml.org,2002:str',
        resolve: str => str,
        stringify: stringifyJSON
    },
    {
        identify: value => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: 'tag:yaml.org,2002:null',
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
    },
    {
        identify: value => typeof value === 'boolean',
        default: true,
        tag: 'tag:yaml.org,2002:bool',
        test: /^true$|^false$/,
        resolve: str => str === 'true',
        stringify: stringifyJSON
    },
    {
        identify: intIdentify,
        default: true,
        tag: 'tag:yaml.org,2002:int',
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
    },
    {
        identify: value => typeof value === 'number',
        default: true,
        tag: 'tag:yaml.org,2002:float',
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: str => parseFloat(str),
        stringify: stringifyJSON
    }
];
const jsonError = {
    default: true,
    tag: '',
    test: /^/,
    resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
    }
};
const schema = [map.map, seq.seq].concat(jsonScalars, jsonError);

exports.schema = schema;


/***/ }),

/***/ 18:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);
var schema = __nccwpck_require__(896);
var schema$1 = __nccwpck_require__(3559);
var binary = __nccwpck_require__(6083);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var schema$2 = __nccwpck_require__(5913);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schemas = new Map([
    ['core', schema.schema],
    ['failsafe', [map.map, seq.seq, string.string]],
    ['json', schema$1.schema],
    ['yaml11', schema$2.schema],
    ['yaml-1.1', schema$2.schema]
]);
const tagsByName = {
    binary: binary.binary,
    bool: bool.boolTag,
    float: float.float,
    floatExp: float.floatExp,
    floatNaN: float.floatNaN,
    floatTime: timestamp.floatTime,
    int: int.int,
    intHex: int.intHex,
    intOct: int.intOct,
    intTime: timestamp.intTime,
    map: map.map,
    merge: merge.merge,
    null: _null.nullTag,
    omap: omap.omap,
    pairs: pairs.pairs,
    seq: seq.seq,
    set: set.set,
    timestamp: timestamp.timestamp
};
const coreKnownTags = {
    'tag:yaml.org,2002:binary': binary.binary,
    'tag:yaml.org,2002:merge': merge.merge,
    'tag:yaml.org,2002:omap': omap.omap,
    'tag:yaml.org,2002:pairs': pairs.pairs,
    'tag:yaml.org,2002:set': set.set,
    'tag:yaml.org,2002:timestamp': timestamp.timestamp
};
function getTags(customTags, schemaName, addMergeTag) {
    const schemaTags = schemas.get(schemaName);
    if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge)
            ? schemaTags.concat(merge.merge)
            : schemaTags.slice();
    }
    let tags = schemaTags;
    if (!tags) {
        if (Array.isArray(customTags))
            tags = [];
        else {
            const keys = Array.from(schemas.keys())
                .filter(key => key !== 'yaml11')
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
    }
    if (Array.isArray(customTags)) {
        for (const tag of customTags)
            tags = tags.concat(tag);
    }
    else if (typeof customTags === 'function') {
        tags = customTags(tags.slice());
    }
    if (addMergeTag)
        tags = tags.concat(merge.merge);
    return tags.reduce((tags, tag) => {
        const tagObj = typeof tag === 'string' ? tagsByName[tag] : tag;
        if (!tagObj) {
            const tagName = JSON.stringify(tag);
            const keys = Object.keys(tagsByName)
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags.includes(tagObj))
            tags.push(tagObj);
        return tags;
    }, []);
}

exports.coreKnownTags = coreKnownTags;
exports.getTags = getTags;


/***/ }),

/***/ 6083:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_buffer = __nccwpck_require__(181);
var Scalar = __nccwpck_require__(3301);
var stringifyString = __nccwpck_require__(3069);

const binary = {
    identify: value => value instanceof Uint8Array, // Buffer inherits from Uint8Array
    default: false,
    tag: 'tag:yaml.org,2002:binary',
    /**
     * Returns a Buffer in node and an Uint8Array in browsers
     *
     * To use the resulting buffer as an image, you'll want to do something like:
     *
     *   const blob = new Blob([buffer], { type: 'image/jpeg' })
     *   document.querySelector('#photo').src = URL.createObjectURL(blob)
     */
    resolve(src, onError) {
        if (typeof node_buffer.Buffer === 'function') {
            return node_buffer.Buffer.from(src, 'base64');
        }
        else if (typeof atob === 'function') {
            // On IE 11, atob() can't handle newlines
            const str = atob(src.replace(/[\n\r]/g, ''));
            const buffer = new Uint8Array(str.length);
            for (let i = 0; i < str.length; ++i)
                buffer[i] = str.charCodeAt(i);
            return buffer;
        }
        else {
            onError('This environment does not support reading binary tags; either Buffer or atob is required');
            return src;
        }
    },
    stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
            return '';
        const buf = value; // checked earlier by binary.identify()
        let str;
        if (typeof node_buffer.Buffer === 'function') {
            str =
                buf instanceof node_buffer.Buffer
                    ? buf.toString('base64')
                    : node_buffer.Buffer.from(buf.buffer).toString('base64');
        }
        else if (typeof btoa === 'function') {
            let s = '';
            for (let i = 0; i < buf.length; ++i)
                s += String.fromCharCode(buf[i]);
            str = btoa(s);
        }
        else {
            throw new Error('This environment does not support writing binary tags; either Buffer or btoa is required');
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
            const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
            const n = Math.ceil(str.length / lineWidth);
            const lines = new Array(n);
            for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
                lines[i] = str.substr(o, lineWidth);
            }
            str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? '\n' : ' ');
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
    }
};

exports.binary = binary;


/***/ }),

/***/ 8398:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function boolStringify({ value, source }, ctx) {
    const boolObj = value ? trueTag : falseTag;
    if (source && boolObj.test.test(source))
        return source;
    return value ? ctx.options.trueStr : ctx.options.falseStr;
}
const trueTag = {
    identify: value => value === true,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    resolve: () => new Scalar.Scalar(true),
    stringify: boolStringify
};
const falseTag = {
    identify: value => value === false,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    resolve: () => new Scalar.Scalar(false),
    stringify: boolStringify
};

exports.falseTag = falseTag;
exports.trueTag = trueTag;


/***/ }),

/***/ 5782:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (str) => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    resolve: (str) => parseFloat(str.replace(/_/g, '')),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, '')));
        const dot = str.indexOf('.');
        if (dot !== -1) {
            const f = str.substring(dot + 1).replace(/_/g, '');
            if (f[f.length - 1] === '0')
                node.minFractionDigits = f.length;
        }
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 873:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
function intResolve(str, offset, radix, { intAsBigInt }) {
    const sign = str[0];
    if (sign === '-' || sign === '+')
        offset += 1;
    str = str.substring(offset).replace(/_/g, '');
    if (intAsBigInt) {
        switch (radix) {
            case 2:
                str = `0b${str}`;
                break;
            case 8:
                str = `0o${str}`;
                break;
            case 16:
                str = `0x${str}`;
                break;
        }
        const n = BigInt(str);
        return sign === '-' ? BigInt(-1) * n : n;
    }
    const n = parseInt(str, radix);
    return sign === '-' ? -1 * n : n;
}
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? '-' + prefix + str.substr(1) : prefix + str;
    }
    return stringifyNumber.stringifyNumber(node);
}
const intBin = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'BIN',
    test: /^[-+]?0b[0-1_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
    stringify: node => intStringify(node, 2, '0b')
};
const intOct = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^[-+]?0[0-7_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
    stringify: node => intStringify(node, 8, '0')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9][0-9_]*$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^[-+]?0x[0-9a-fA-F_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intBin = intBin;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 452:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

// If the value associated with a merge key is a single mapping node, each of
// its key/value pairs is inserted into the current mapping, unless the key
// already exists in it. If the value associated with the merge key is a
// sequence, then this sequence is expected to contain mapping nodes and each
// of these nodes is merged in turn according to its order in the sequence.
// Keys in mapping nodes earlier in the sequence override keys specified in
// later mapping nodes. -- http://yaml.org/type/merge.html
const MERGE_KEY = '<<';
const merge = {
    identify: value => value === MERGE_KEY ||
        (typeof value === 'symbol' && value.description === MERGE_KEY),
    default: 'key',
    tag: 'tag:yaml.org,2002:merge',
    test: /^<<$/,
    resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
    }),
    stringify: () => MERGE_KEY
};
const isMergeKey = (ctx, key) => (merge.identify(key) ||
    (identity.isScalar(key) &&
        (!key.type || key.type === Scalar.Scalar.PLAIN) &&
        merge.identify(key.value))) &&
    ctx?.doc.schema.tags.some(tag => tag.tag === merge.tag && tag.default);
function addMergeToJSMap(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (identity.isSeq(source))
        for (const it of source.items)
            mergeValue(ctx, map, it);
    else if (Array.isArray(source))
        for (const it of source)
            mergeValue(ctx, map, it);
    else
        mergeValue(ctx, map, source);
}
function mergeValue(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (!identity.isMap(source))
        throw new Error('Merge sources must be maps or map aliases');
    const srcMap = source.toJSON(null, ctx, Map);
    for (const [key, value] of srcMap) {
        if (map instanceof Map) {
            if (!map.has(key))
                map.set(key, value);
        }
        else if (map instanceof Set) {
            map.add(key);
        }
        else if (!Object.prototype.hasOwnProperty.call(map, key)) {
            Object.defineProperty(map, key, {
                value,
                writable: true,
                enumerable: true,
                configurable: true
            });
        }
    }
    return map;
}
function resolveAliasValue(ctx, value) {
    return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
}

exports.addMergeToJSMap = addMergeToJSMap;
exports.isMergeKey = isMergeKey;
exports.merge = merge;


/***/ }),

/***/ 303:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var pairs = __nccwpck_require__(8385);

class YAMLOMap extends YAMLSeq.YAMLSeq {
    constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = YAMLOMap.tag;
    }
    /**
     * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
     * but TypeScript won't allow widening the signature of a child method.
     */
    toJSON(_, ctx) {
        if (!ctx)
            return super.toJSON(_);
        const map = new Map();
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const pair of this.items) {
            let key, value;
            if (identity.isPair(pair)) {
                key = toJS.toJS(pair.key, '', ctx);
                value = toJS.toJS(pair.value, key, ctx);
            }
            else {
                key = toJS.toJS(pair, '', ctx);
            }
            if (map.has(key))
                throw new Error('Ordered maps must not include duplicate keys');
            map.set(key, value);
        }
        return map;
    }
    static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap = new this();
        omap.items = pairs$1.items;
        return omap;
    }
}
YAMLOMap.tag = 'tag:yaml.org,2002:omap';
const omap = {
    collection: 'seq',
    identify: value => value instanceof Map,
    nodeClass: YAMLOMap,
    default: false,
    tag: 'tag:yaml.org,2002:omap',
    resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
            if (identity.isScalar(key)) {
                if (seenKeys.includes(key.value)) {
                    onError(`Ordered maps must not include duplicate keys: ${key.value}`);
                }
                else {
                    seenKeys.push(key.value);
                }
            }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
    },
    createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
};

exports.YAMLOMap = YAMLOMap;
exports.omap = omap;


/***/ }),

/***/ 8385:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLSeq = __nccwpck_require__(2223);

function resolvePairs(seq, onError) {
    if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
            let item = seq.items[i];
            if (identity.isPair(item))
                continue;
            else if (identity.isMap(item)) {
                if (item.items.length > 1)
                    onError('Each pair must have its own sequence indicator');
                const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
                if (item.commentBefore)
                    pair.key.commentBefore = pair.key.commentBefore
                        ? `${item.commentBefore}\n${pair.key.commentBefore}`
                        : item.commentBefore;
                if (item.comment) {
                    const cn = pair.value ?? pair.key;
                    cn.comment = cn.comment
                        ? `${item.comment}\n${cn.comment}`
                        : item.comment;
                }
                item = pair;
            }
            seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
    }
    else
        onError('Expected a sequence for this tag');
    return seq;
}
function createPairs(schema, iterable, ctx) {
    const { replacer } = ctx;
    const pairs = new YAMLSeq.YAMLSeq(schema);
    pairs.tag = 'tag:yaml.org,2002:pairs';
    let i = 0;
    if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
            if (typeof replacer === 'function')
                it = replacer.call(iterable, String(i++), it);
            let key, value;
            if (Array.isArray(it)) {
                if (it.length === 2) {
                    key = it[0];
                    value = it[1];
                }
                else
                    throw new TypeError(`Expected [key, value] tuple: ${it}`);
            }
            else if (it && it instanceof Object) {
                const keys = Object.keys(it);
                if (keys.length === 1) {
                    key = keys[0];
                    value = it[key];
                }
                else {
                    throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
                }
            }
            else {
                key = it;
            }
            pairs.items.push(Pair.createPair(key, value, ctx));
        }
    return pairs;
}
const pairs = {
    collection: 'seq',
    default: false,
    tag: 'tag:yaml.org,2002:pairs',
    resolve: resolvePairs,
    createNode: createPairs
};

exports.createPairs = createPairs;
exports.pairs = pairs;
exports.resolvePairs = resolvePairs;


/***/ }),

/***/ 5913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var binary = __nccwpck_require__(6083);
var bool = __nccwpck_require__(8398);
var float = __nccwpck_require__(5782);
var int = __nccwpck_require__(873);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.trueTag,
    bool.falseTag,
    int.intBin,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float,
    binary.binary,
    merge.merge,
    omap.omap,
    pairs.pairs,
    set.set,
    timestamp.intTime,
    timestamp.floatTime,
    timestamp.timestamp
];

exports.schema = schema;


/***/ }),

/***/ 1528:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);

class YAMLSet extends YAMLMap.YAMLMap {
    constructor(schema) {
        super(schema);
        this.tag = YAMLSet.tag;
    }
    add(key) {
        let pair;
        if (identity.isPair(key))
            pair = key;
        else if (key &&
            typeof key === 'object' &&
            'key' in key &&
            'value' in key &&
            key.value === null)
            pair = new Pair.Pair(key.key, null);
        else
            pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
            this.items.push(pair);
    }
    /**
     * If `keepPair` is `true`, returns the Pair matching `key`.
     * Otherwise, returns the value of that Pair's key.
     */
    get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair)
            ? identity.isScalar(pair.key)
                ? pair.key.value
                : pair.key
            : pair;
    }
    set(key, value) {
        if (typeof value !== 'boolean')
            throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
            this.items.splice(this.items.indexOf(prev), 1);
        }
        else if (!prev && value) {
            this.items.push(new Pair.Pair(key));
        }
    }
    toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        if (this.hasAllNullValues(true))
            return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
            throw new Error('Set items must all have null values');
    }
    static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
            for (let value of iterable) {
                if (typeof replacer === 'function')
                    value = replacer.call(iterable, value, value);
                set.items.push(Pair.createPair(value, null, ctx));
            }
        return set;
    }
}
YAMLSet.tag = 'tag:yaml.org,2002:set';
const set = {
    collection: 'map',
    identify: value => value instanceof Set,
    nodeClass: YAMLSet,
    default: false,
    tag: 'tag:yaml.org,2002:set',
    createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
    resolve(map, onError) {
        if (identity.isMap(map)) {
            if (map.hasAllNullValues(true))
                return Object.assign(new YAMLSet(), map);
            else
                onError('Set items must all have null values');
        }
        else
            onError('Expected a mapping for this tag');
        return map;
    }
};

exports.YAMLSet = YAMLSet;
exports.set = set;


/***/ }),

/***/ 6752:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

/** Internal types handle bigint as number, because TS can't figure it out. */
function parseSexagesimal(str, asBigInt) {
    const sign = str[0];
    const parts = sign === '-' || sign === '+' ? str.substring(1) : str;
    const num = (n) => asBigInt ? BigInt(n) : Number(n);
    const res = parts
        .replace(/_/g, '')
        .split(':')
        .reduce((res, p) => res * num(60) + num(p), num(0));
    return (sign === '-' ? num(-1) * res : res);
}
/**
 * hhhh:mm:ss.sss
 *
 * Internal types handle bigint as number, because TS can't figure it out.
 */
function stringifySexagesimal(node) {
    let { value } = node;
    let num = (n) => n;
    if (typeof value === 'bigint')
        num = n => BigInt(n);
    else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
    let sign = '';
    if (value < 0) {
        sign = '-';
        value *= num(-1);
    }
    const _60 = num(60);
    const parts = [value % _60]; // seconds, including ms
    if (value < 60) {
        parts.unshift(0); // at least one : is required
    }
    else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60); // minutes
        if (value >= 60) {
            value = (value - parts[0]) / _60;
            parts.unshift(value); // hours
        }
    }
    return (sign +
        parts
            .map(n => String(n).padStart(2, '0'))
            .join(':')
            .replace(/000000\d*$/, '') // % 60 may introduce error
    );
}
const intTime = {
    identify: value => typeof value === 'bigint' || Number.isInteger(value),
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
    stringify: stringifySexagesimal
};
const floatTime = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    resolve: str => parseSexagesimal(str, false),
    stringify: stringifySexagesimal
};
const timestamp = {
    identify: value => value instanceof Date,
    default: true,
    tag: 'tag:yaml.org,2002:timestamp',
    // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
    // may be omitted altogether, resulting in a date format. In such a case, the time part is
    // assumed to be 00:00:00Z (start of day, UTC).
    test: RegExp('^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
        '(?:' + // time is optional
        '(?:t|T|[ \\t]+)' + // t | T | whitespace
        '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
        '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
        ')?$'),
    resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
            throw new Error('!!timestamp expects a date, starting with yyyy-mm-dd');
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + '00').substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== 'Z') {
            let d = parseSexagesimal(tz, false);
            if (Math.abs(d) < 30)
                d *= 60;
            date -= 60000 * d;
        }
        return new Date(date);
    },
    stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, '') ?? ''
};

exports.floatTime = floatTime;
exports.intTime = intTime;
exports.timestamp = timestamp;


/***/ }),

/***/ 4475:
/***/ ((__unused_webpack_module, exports) => {



const FOLD_FLOW = 'flow';
const FOLD_BLOCK = 'block';
const FOLD_QUOTED = 'quoted';
/**
 * Tries to keep input at up to `lineWidth` characters, splitting only on spaces
 * not followed by newlines or spaces unless `mode` is `'quoted'`. Lines are
 * terminated with `\n` and started with `indent`.
 */
function foldFlowLines(text, indent, mode = 'flow', { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
    if (!lineWidth || lineWidth < 0)
        return text;
    if (lineWidth < minContentWidth)
        minContentWidth = 0;
    const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
    if (text.length <= endStep)
        return text;
    const folds = [];
    const escapedFolds = {};
    let end = lineWidth - indent.length;
    if (typeof indentAtStart === 'number') {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
            folds.push(0);
        else
            end = lineWidth - indentAtStart;
    }
    let split = undefined;
    let prev = undefined;
    let overflow = false;
    let i = -1;
    let escStart = -1;
    let escEnd = -1;
    if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
            end = i + endStep;
    }
    for (let ch; (ch = text[(i += 1)]);) {
        if (mode === FOLD_QUOTED && ch === '\\') {
            escStart = i;
            switch (text[i + 1]) {
                case 'x':
                    i += 3;
                    break;
                case 'u':
                    i += 5;
                    break;
                case 'U':
                    i += 9;
                    break;
                default:
                    i += 1;
            }
            escEnd = i;
        }
        if (ch === '\n') {
            if (mode === FOLD_BLOCK)
                i = consumeMoreIndentedLines(text, i, indent.length);
            end = i + indent.length + endStep;
            split = undefined;
        }
        else {
            if (ch === ' ' &&
                prev &&
                prev !== ' ' &&
                prev !== '\n' &&
                prev !== '\t') {
                // space surrounded by non-space can be replaced with newline + indent
                const next = text[i + 1];
                if (next && next !== ' ' && next !== '\n' && next !== '\t')
                    split = i;
            }
            if (i >= end) {
                if (split) {
                    folds.push(split);
                    end = split + endStep;
                    split = undefined;
                }
                else if (mode === FOLD_QUOTED) {
                    // white-space collected at end may stretch past lineWidth
                    while (prev === ' ' || prev === '\t') {
                        prev = ch;
                        ch = text[(i += 1)];
                        overflow = true;
                    }
                    // Account for newline escape, but don't break preceding escape
                    const j = i > escEnd + 1 ? i - 2 : escStart - 1;
                    // Bail out if lineWidth & minContentWidth are shorter than an escape string
                    if (escapedFolds[j])
                        return text;
                    folds.push(j);
                    escapedFolds[j] = true;
                    end = j + endStep;
                    split = undefined;
                }
                else {
                    overflow = true;
                }
            }
        }
        prev = ch;
    }
    if (overflow && onOverflow)
        onOverflow();
    if (folds.length === 0)
        return text;
    if (onFold)
        onFold();
    let res = text.slice(0, folds[0]);
    for (let i = 0; i < folds.length; ++i) {
        const fold = folds[i];
        const end = folds[i + 1] || text.length;
        if (fold === 0)
            res = `\n${indent}${text.slice(0, end)}`;
        else {
            if (mode === FOLD_QUOTED && escapedFolds[fold])
                res += `${text[fold]}\\`;
            res += `\n${indent}${text.slice(fold + 1, end)}`;
        }
    }
    return res;
}
/**
 * Presumes `i + 1` is at the start of a line
 * @returns index of last newline in more-indented block
 */
function consumeMoreIndentedLines(text, i, indent) {
    let end = i;
    let start = i + 1;
    let ch = text[start];
    while (ch === ' ' || ch === '\t') {
        if (i < start + indent) {
            ch = text[++i];
        }
        else {
            do {
                ch = text[++i];
            } while (ch && ch !== '\n');
            end = i;
            start = i + 1;
            ch = text[start];
        }
    }
    return end;
}

exports.FOLD_BLOCK = FOLD_BLOCK;
exports.FOLD_FLOW = FOLD_FLOW;
exports.FOLD_QUOTED = FOLD_QUOTED;
exports.foldFlowLines = foldFlowLines;


/***/ }),

/***/ 2148:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var identity = __nccwpck_require__(1127);
var stringifyComment = __nccwpck_require__(9799);
var stringifyString = __nccwpck_require__(3069);

function createStringifyContext(doc, options) {
    const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: 'PLAIN',
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: 'false',
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: 'null',
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: 'true',
        verifyAliasOrder: true
    }, doc.schema.toStringOptions, options);
    let inFlow;
    switch (opt.collectionStyle) {
        case 'block':
            inFlow = false;
            break;
        case 'flow':
            inFlow = true;
            break;
        default:
            inFlow = null;
    }
    return {
        anchors: new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? ' ' : '',
        indent: '',
        indentStep: typeof opt.indent === 'number' ? ' '.repeat(opt.indent) : '  ',
        inFlow,
        options: opt
    };
}
function getTagObject(tags, item) {
    if (item.tag) {
        const match = tags.filter(t => t.tag === item.tag);
        if (match.length > 0)
            return match.find(t => t.format === item.format) ?? match[0];
    }
    let tagObj = undefined;
    let obj;
    if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter(t => t.identify?.(obj));
        if (match.length > 1) {
            const testMatch = match.filter(t => t.test);
            if (testMatch.length > 0)
                match = testMatch;
        }
        tagObj =
            match.find(t => t.format === item.format) ?? match.find(t => !t.format);
    }
    else {
        obj = item;
        tagObj = tags.find(t => t.nodeClass && obj instanceof t.nodeClass);
    }
    if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? 'null' : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
    }
    return tagObj;
}
// needs to be called before value stringifier to allow for circular anchor refs
function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
    if (!doc.directives)
        return '';
    const props = [];
    const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
    if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
    }
    const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
    if (tag)
        props.push(doc.directives.tagString(tag));
    return props.join(' ');
}
function stringify(item, ctx, onComment, onChompKeep) {
    if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
    if (identity.isAlias(item)) {
        if (ctx.doc.directives)
            return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
            throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        }
        else {
            if (ctx.resolvedAliases)
                ctx.resolvedAliases.add(item);
            else
                ctx.resolvedAliases = new Set([item]);
            item = item.resolve(ctx.doc);
        }
    }
    let tagObj = undefined;
    const node = identity.isNode(item)
        ? item
        : ctx.doc.createNode(item, { onTagObj: o => (tagObj = o) });
    tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
    const props = stringifyProps(node, tagObj, ctx);
    if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
    const str = typeof tagObj.stringify === 'function'
        ? tagObj.stringify(node, ctx, onComment, onChompKeep)
        : identity.isScalar(node)
            ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep)
            : node.toString(ctx, onComment, onChompKeep);
    if (!props)
        return str;
    return identity.isScalar(node) || str[0] === '{' || str[0] === '['
        ? `${props} ${str}`
        : `${props}\n${ctx.indent}${str}`;
}

exports.createStringifyContext = createStringifyContext;
exports.stringify = stringify;


/***/ }),

/***/ 1212:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyCollection(collection, ctx, options) {
    const flow = ctx.inFlow ?? collection.flow;
    const stringify = flow ? stringifyFlowCollection : stringifyBlockCollection;
    return stringify(collection, ctx, options);
}
function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
    const { indent, options: { commentString } } = ctx;
    const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
    let chompKeep = false; // flag for the preceding node's status
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (!chompKeep && item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (!chompKeep && ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
            }
        }
        chompKeep = false;
        let str = stringify.stringify(item, itemCtx, () => (comment = null), () => (chompKeep = true));
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        if (chompKeep && comment)
            chompKeep = false;
        lines.push(blockItemPrefix + str);
    }
    let str;
    if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
    }
    else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
            const line = lines[i];
            str += line ? `\n${indent}${line}` : '\n';
        }
    }
    if (comment) {
        str += '\n' + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
            onComment();
    }
    else if (chompKeep && onChompKeep)
        onChompKeep();
    return str;
}
function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
    const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
    itemIndent += indentStep;
    const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
    });
    let reqNewline = false;
    let linesAtValue = 0;
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, false);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, false);
                if (ik.comment)
                    reqNewline = true;
            }
            const iv = identity.isNode(item.value) ? item.value : null;
            if (iv) {
                if (iv.comment)
                    comment = iv.comment;
                if (iv.commentBefore)
                    reqNewline = true;
            }
            else if (item.value == null && ik?.comment) {
                comment = ik.comment;
            }
        }
        if (comment)
            reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => (comment = null));
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes('\n'));
        if (i < items.length - 1) {
            str += ',';
        }
        else if (ctx.options.trailingComma) {
            if (ctx.options.lineWidth > 0) {
                reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) +
                    (str.length + 2) >
                    ctx.options.lineWidth);
            }
            if (reqNewline) {
                str += ',';
            }
        }
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
    }
    const { start, end } = flowChars;
    if (lines.length === 0) {
        return start + end;
    }
    else {
        if (!reqNewline) {
            const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
            reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
            let str = start;
            for (const line of lines)
                str += line ? `\n${indentStep}${indent}${line}` : '\n';
            return `${str}\n${indent}${end}`;
        }
        else {
            return `${start}${fcPadding}${lines.join(' ')}${fcPadding}${end}`;
        }
    }
}
function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
    if (comment && chompKeep)
        comment = comment.replace(/^\n+/, '');
    if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart()); // Avoid double indent on first line
    }
}

exports.stringifyCollection = stringifyCollection;


/***/ }),

/***/ 9799:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringifies a comment.
 *
 * Empty comment lines are left empty,
 * lines consisting of a single space are replaced by `#`,
 * and all other lines are prefixed with a `#`.
 */
const stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, '#');
function indentComment(comment, indent) {
    if (/^\n+$/.test(comment))
        return comment.substring(1);
    return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
}
const lineComment = (str, indent, comment) => str.endsWith('\n')
    ? indentComment(comment, indent)
    : comment.includes('\n')
        ? '\n' + indentComment(comment, indent)
        : (str.endsWith(' ') ? '' : ' ') + comment;

exports.indentComment = indentComment;
exports.lineComment = lineComment;
exports.stringifyComment = stringifyComment;


/***/ }),

/***/ 6829:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyDocument(doc, options) {
    const lines = [];
    let hasDirectives = options.directives === true;
    if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
            lines.push(dir);
            hasDirectives = true;
        }
        else if (doc.directives.docStart)
            hasDirectives = true;
    }
    if (hasDirectives)
        lines.push('---');
    const ctx = stringify.createStringifyContext(doc, options);
    const { commentString } = ctx.options;
    if (doc.commentBefore) {
        if (lines.length !== 1)
            lines.unshift('');
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ''));
    }
    let chompKeep = false;
    let contentComment = null;
    if (doc.contents) {
        if (identity.isNode(doc.contents)) {
            if (doc.contents.spaceBefore && hasDirectives)
                lines.push('');
            if (doc.contents.commentBefore) {
                const cs = commentString(doc.contents.commentBefore);
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            // top-level block scalars need to be indented if followed by a comment
            ctx.forceBlockIndent = !!doc.comment;
            contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? undefined : () => (chompKeep = true);
        let body = stringify.stringify(doc.contents, ctx, () => (contentComment = null), onChompKeep);
        if (contentComment)
            body += stringifyComment.lineComment(body, '', commentString(contentComment));
        if ((body[0] === '|' || body[0] === '>') &&
            lines[lines.length - 1] === '---') {
            // Top-level block scalars with a preceding doc marker ought to use the
            // same line for their header.
            lines[lines.length - 1] = `--- ${body}`;
        }
        else
            lines.push(body);
    }
    else {
        lines.push(stringify.stringify(doc.contents, ctx));
    }
    if (doc.directives?.docEnd) {
        if (doc.comment) {
            const cs = commentString(doc.comment);
            if (cs.includes('\n')) {
                lines.push('...');
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            else {
                lines.push(`... ${cs}`);
            }
        }
        else {
            lines.push('...');
        }
    }
    else {
        let dc = doc.comment;
        if (dc && chompKeep)
            dc = dc.replace(/^\n+/, '');
        if (dc) {
            if ((!chompKeep || contentComment) && lines[lines.length - 1] !== '')
                lines.push('');
            lines.push(stringifyComment.indentComment(commentString(dc), ''));
        }
    }
    return lines.join('\n') + '\n';
}

exports.stringifyDocument = stringifyDocument;


/***/ }),

/***/ 8689:
/***/ ((__unused_webpack_module, exports) => {



function stringifyNumber({ format, minFractionDigits, tag, value }) {
    if (typeof value === 'bigint')
        return String(value);
    const num = typeof value === 'number' ? value : Number(value);
    if (!isFinite(num))
        return isNaN(num) ? '.nan' : num < 0 ? '-.inf' : '.inf';
    let n = Object.is(value, -0) ? '-0' : JSON.stringify(value);
    if (!format &&
        minFractionDigits &&
        (!tag || tag === 'tag:yaml.org,2002:float') &&
        /^-?\d/.test(n) &&
        !n.includes('e')) {
        let i = n.indexOf('.');
        if (i < 0) {
            i = n.length;
            n += '.';
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
            n += '0';
    }
    return n;
}

exports.stringifyNumber = stringifyNumber;


/***/ }),

/***/ 9748:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
    const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
    let keyComment = (identity.isNode(key) && key.comment) || null;
    if (simpleKeys) {
        if (keyComment) {
            throw new Error('With simple keys, key nodes cannot have comments');
        }
        if (identity.isCollection(key) || (!identity.isNode(key) && typeof key === 'object')) {
            const msg = 'With simple keys, collection cannot be used as a key value';
            throw new Error(msg);
        }
    }
    let explicitKey = !simpleKeys &&
        (!key ||
            (keyComment && value == null && !ctx.inFlow) ||
            identity.isCollection(key) ||
            (identity.isScalar(key)
                ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL
                : typeof key === 'object'));
    ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
    });
    let keyCommentDone = false;
    let chompKeep = false;
    let str = stringify.stringify(key, ctx, () => (keyCommentDone = true), () => (chompKeep = true));
    if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
            throw new Error('With simple keys, single line scalar must not span more than 1024 characters');
        explicitKey = true;
    }
    if (ctx.inFlow) {
        if (allNullValues || value == null) {
            if (keyCommentDone && onComment)
                onComment();
            return str === '' ? '?' : explicitKey ? `? ${str}` : str;
        }
    }
    else if ((allNullValues && !simpleKeys) || (value == null && explicitKey)) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        }
        else if (chompKeep && onChompKeep)
            onChompKeep();
        return str;
    }
    if (keyCommentDone)
        keyComment = null;
    if (explicitKey) {
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}\n${indent}:`;
    }
    else {
        str = `${str}:`;
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
    }
    let vsb, vcb, valueComment;
    if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
    }
    else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === 'object')
            value = doc.createNode(value);
    }
    ctx.implicitKey = false;
    if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
    chompKeep = false;
    if (!indentSeq &&
        indentStep.length >= 2 &&
        !ctx.inFlow &&
        !explicitKey &&
        identity.isSeq(value) &&
        !value.flow &&
        !value.tag &&
        !value.anchor) {
        // If indentSeq === false, consider '- ' as part of indentation where possible
        ctx.indent = ctx.indent.substring(2);
    }
    let valueCommentDone = false;
    const valueStr = stringify.stringify(value, ctx, () => (valueCommentDone = true), () => (chompKeep = true));
    let ws = ' ';
    if (keyComment || vsb || vcb) {
        ws = vsb ? '\n' : '';
        if (vcb) {
            const cs = commentString(vcb);
            ws += `\n${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === '' && !ctx.inFlow) {
            if (ws === '\n' && valueComment)
                ws = '\n\n';
        }
        else {
            ws += `\n${ctx.indent}`;
        }
    }
    else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf('\n');
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
            let hasPropsLine = false;
            if (hasNewline && (vs0 === '&' || vs0 === '!')) {
                let sp0 = valueStr.indexOf(' ');
                if (vs0 === '&' &&
                    sp0 !== -1 &&
                    sp0 < nl0 &&
                    valueStr[sp0 + 1] === '!') {
                    sp0 = valueStr.indexOf(' ', sp0 + 1);
                }
                if (sp0 === -1 || nl0 < sp0)
                    hasPropsLine = true;
            }
            if (!hasPropsLine)
                ws = `\n${ctx.indent}`;
        }
    }
    else if (valueStr === '' || valueStr[0] === '\n') {
        ws = '';
    }
    str += ws + valueStr;
    if (ctx.inFlow) {
        if (valueCommentDone && onComment)
            onComment();
    }
    else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
    }
    else if (chompKeep && onChompKeep) {
        onChompKeep();
    }
    return str;
}

exports.stringifyPair = stringifyPair;


/***/ }),

/***/ 3069:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var foldFlowLines = __nccwpck_require__(4475);

const getFoldOptions = (ctx, isBlock) => ({
    indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
    lineWidth: ctx.options.lineWidth,
    minContentWidth: ctx.options.minContentWidth
});
// Also checks for lines starting with %, as parsing the output as YAML 1.1 will
// presume that's starting a new document.
const containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
function lineLengthOverLimit(str, lineWidth, indentLength) {
    if (!lineWidth || lineWidth < 0)
        return false;
    const limit = lineWidth - indentLength;
    const strLen = str.length;
    if (strLen <= limit)
        return false;
    for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === '\n') {
            if (i - start > limit)
                return true;
            start = i + 1;
            if (strLen - start <= limit)
                return false;
        }
    }
    return true;
}
function doubleQuotedString(value, ctx) {
    const json = JSON.stringify(value);
    if (ctx.options.doubleQuotedAsJSON)
        return json;
    const { implicitKey } = ctx;
    const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    let str = '';
    let start = 0;
    for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
            // space before newline needs to be escaped to not be folded
            str += json.slice(start, i) + '\\ ';
            i += 1;
            start = i;
            ch = '\\';
        }
        if (ch === '\\')
            switch (json[i + 1]) {
                case 'u':
                    {
                        str += json.slice(start, i);
                        const code = json.substr(i + 2, 4);
                        switch (code) {
                            case '0000':
                                str += '\\0';
                                break;
                            case '0007':
                                str += '\\a';
                                break;
                            case '000b':
                                str += '\\v';
                                break;
                            case '001b':
                                str += '\\e';
                                break;
                            case '0085':
                                str += '\\N';
                                break;
                            case '00a0':
                                str += '\\_';
                                break;
                            case '2028':
                                str += '\\L';
                                break;
                            case '2029':
                                str += '\\P';
                                break;
                            default:
                                if (code.substr(0, 2) === '00')
                                    str += '\\x' + code.substr(2);
                                else
                                    str += json.substr(i, 6);
                        }
                        i += 5;
                        start = i + 1;
                    }
                    break;
                case 'n':
                    if (implicitKey ||
                        json[i + 2] === '"' ||
                        json.length < minMultiLineLength) {
                        i += 1;
                    }
                    else {
                        // folding will eat first newline
                        str += json.slice(start, i) + '\n\n';
                        while (json[i + 2] === '\\' &&
                            json[i + 3] === 'n' &&
                            json[i + 4] !== '"') {
                            str += '\n';
                            i += 2;
                        }
                        str += indent;
                        // space after newline needs to be escaped to not be folded
                        if (json[i + 2] === ' ')
                            str += '\\';
                        i += 1;
                        start = i + 1;
                    }
                    break;
                default:
                    i += 1;
            }
    }
    str = start ? str + json.slice(start) : json;
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
}
function singleQuotedString(value, ctx) {
    if (ctx.options.singleQuote === false ||
        (ctx.implicitKey && value.includes('\n')) ||
        /[ \t]\n|\n[ \t]/.test(value) // single quoted string can't have leading or trailing whitespace around newline
    )
        return doubleQuotedString(value, ctx);
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
    return ctx.implicitKey
        ? res
        : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function quotedString(value, ctx) {
    const { singleQuote } = ctx.options;
    let qs;
    if (singleQuote === false)
        qs = doubleQuotedString;
    else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
            qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
            qs = doubleQuotedString;
        else
            qs = singleQuote ? singleQuotedString : doubleQuotedString;
    }
    return qs(value, ctx);
}
// The negative lookbehind avoids a polynomial search,
// but isn't supported yet on Safari: https://caniuse.com/js-regexp-lookbehind
let blockEndNewlines;
try {
    blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
}
catch {
    blockEndNewlines = /\n+(?!\n|$)/g;
}
function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
    const { blockQuote, commentString, lineWidth } = ctx.options;
    // 1. Block can't end in whitespace unless the last line is non-empty.
    // 2. Strings consisting of only whitespace are best rendered explicitly.
    if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
    }
    const indent = ctx.indent ||
        (ctx.forceBlockIndent || containsDocumentMarker(value) ? '  ' : '');
    const literal = blockQuote === 'literal'
        ? true
        : blockQuote === 'folded' || type === Scalar.Scalar.BLOCK_FOLDED
            ? false
            : type === Scalar.Scalar.BLOCK_LITERAL
                ? true
                : !lineLengthOverLimit(value, lineWidth, indent.length);
    if (!value)
        return literal ? '|\n' : '>\n';
    // determine chomping from whitespace at value end
    let chomp;
    let endStart;
    for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== '\n' && ch !== '\t' && ch !== ' ')
            break;
    }
    let end = value.substring(endStart);
    const endNlPos = end.indexOf('\n');
    if (endNlPos === -1) {
        chomp = '-'; // strip
    }
    else if (value === end || endNlPos !== end.length - 1) {
        chomp = '+'; // keep
        if (onChompKeep)
            onChompKeep();
    }
    else {
        chomp = ''; // clip
    }
    if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === '\n')
            end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
    }
    // determine indent indicator from whitespace at value start
    let startWithSpace = false;
    let startEnd;
    let startNlPos = -1;
    for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === ' ')
            startWithSpace = true;
        else if (ch === '\n')
            startNlPos = startEnd;
        else
            break;
    }
    let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
    if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
    }
    const indentSize = indent ? '2' : '1'; // root is at -1
    // Leading | or > is added later
    let header = (startWithSpace ? indentSize : '') + chomp;
    if (comment) {
        header += ' ' + commentString(comment.replace(/ ?[\r\n]+/g, ' '));
        if (onComment)
            onComment();
    }
    if (!literal) {
        const foldedValue = value
            .replace(/\n+/g, '\n$&')
            .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2') // more-indented lines aren't folded
            //                ^ more-ind. ^ empty     ^ capture next empty lines only at end of indent
            .replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== 'folded' && type !== Scalar.Scalar.BLOCK_FOLDED) {
            foldOptions.onOverflow = () => {
                literalFallback = true;
            };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
            return `>${header}\n${indent}${body}`;
    }
    value = value.replace(/\n+/g, `$&${indent}`);
    return `|${header}\n${indent}${start}${value}${end}`;
}
function plainString(item, ctx, onComment, onChompKeep) {
    const { type, value } = item;
    const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
    if ((implicitKey && value.includes('\n')) ||
        (inFlow && /[[\]{},]/.test(value))) {
        return quotedString(value, ctx);
    }
    if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        // not allowed:
        // - '-' or '?'
        // - start with an indicator character (except [?:-]) or /[?-] /
        // - '\n ', ': ' or ' \n' anywhere
        // - '#' not preceded by a non-space char
        // - end with ' ' or ':'
        return implicitKey || inFlow || !value.includes('\n')
            ? quotedString(value, ctx)
            : blockString(item, ctx, onComment, onChompKeep);
    }
    if (!implicitKey &&
        !inFlow &&
        type !== Scalar.Scalar.PLAIN &&
        value.includes('\n')) {
        // Where allowed & type not set explicitly, prefer block style for multiline strings
        return blockString(item, ctx, onComment, onChompKeep);
    }
    if (containsDocumentMarker(value)) {
        if (indent === '') {
            ctx.forceBlockIndent = true;
            return blockString(item, ctx, onComment, onChompKeep);
        }
        else if (implicitKey && indent === indentStep) {
            return quotedString(value, ctx);
        }
    }
    const str = value.replace(/\n+/g, `$&\n${indent}`);
    // Verify that output will be parsed as a string, as e.g. plain numbers and
    // booleans get parsed with those types in v1.2 (e.g. '42', 'true' & '0.9e-3'),
    // and others in v1.1.
    if (actualString) {
        const test = (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
            return quotedString(value, ctx);
    }
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function stringifyString(item, ctx, onComment, onChompKeep) {
    const { implicitKey, inFlow } = ctx;
    const ss = typeof item.value === 'string'
        ? item
        : Object.assign({}, item, { value: String(item.value) });
    let { type } = item;
    if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        // force double quotes on control characters & unpaired surrogates
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
            type = Scalar.Scalar.QUOTE_DOUBLE;
    }
    const _stringify = (_type) => {
        switch (_type) {
            case Scalar.Scalar.BLOCK_FOLDED:
            case Scalar.Scalar.BLOCK_LITERAL:
                return implicitKey || inFlow
                    ? quotedString(ss.value, ctx) // blocks are not valid inside flow containers
                    : blockString(ss, ctx, onComment, onChompKeep);
            case Scalar.Scalar.QUOTE_DOUBLE:
                return doubleQuotedString(ss.value, ctx);
            case Scalar.Scalar.QUOTE_SINGLE:
                return singleQuotedString(ss.value, ctx);
            case Scalar.Scalar.PLAIN:
                return plainString(ss, ctx, onComment, onChompKeep);
            default:
                return null;
        }
    };
    let res = _stringify(type);
    if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = (implicitKey && defaultKeyType) || defaultStringType;
        res = _stringify(t);
        if (res === null)
            throw new Error(`Unsupported default string type ${t}`);
    }
    return res;
}

exports.stringifyString = stringifyString;


/***/ }),

/***/ 204:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove node');
/**
 * Apply a visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
function visit(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        visit_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current node */
visit.SKIP = SKIP;
/** Remove the current node */
visit.REMOVE = REMOVE;
function visit_(key, node, visitor, path) {
    const ctrl = callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = visit_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = visit_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = visit_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
/**
 * Apply an async visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `Promise`: Must resolve to one of the following values
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
async function visitAsync(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visitAsync.BREAK = BREAK;
/** Do not visit the children of the current node */
visitAsync.SKIP = SKIP;
/** Remove the current node */
visitAsync.REMOVE = REMOVE;
async function visitAsync_(key, node, visitor, path) {
    const ctrl = await callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = await visitAsync_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = await visitAsync_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = await visitAsync_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
function initVisitor(visitor) {
    if (typeof visitor === 'object' &&
        (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
            Alias: visitor.Node,
            Map: visitor.Node,
            Scalar: visitor.Node,
            Seq: visitor.Node
        }, visitor.Value && {
            Map: visitor.Value,
            Scalar: visitor.Value,
            Seq: visitor.Value
        }, visitor.Collection && {
            Map: visitor.Collection,
            Seq: visitor.Collection
        }, visitor);
    }
    return visitor;
}
function callVisitor(key, node, visitor, path) {
    if (typeof visitor === 'function')
        return visitor(key, node, path);
    if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
    if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
    if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
    if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
    if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
    return undefined;
}
function replaceNode(key, path, node) {
    const parent = path[path.length - 1];
    if (identity.isCollection(parent)) {
        parent.items[key] = node;
    }
    else if (identity.isPair(parent)) {
        if (key === 'key')
            parent.key = node;
        else
            parent.value = node;
    }
    else if (identity.isDocument(parent)) {
        parent.contents = node;
    }
    else {
        const pt = identity.isAlias(parent) ? 'alias' : 'scalar';
        throw new Error(`Cannot replace node with ${pt} parent`);
    }
}

exports.visit = visit;
exports.visitAsync = visitAsync;


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(486);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
