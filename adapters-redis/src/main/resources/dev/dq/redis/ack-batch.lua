#!lua flags=allow-oom
-- ack-batch: n tasks are done; each whose lease is still valid leaves the queue, and its record (records, finished),
-- with its result if it has one, is kept for lookup.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] tasks  KEYS[4] attempts  KEYS[5] priorities (hash id -> level)
-- KEYS[6] records (hash id -> JSON of a finished task)  KEYS[7] finished (zset id -> finished ms)
-- KEYS[8] started  KEYS[9] errors  KEYS[10] cancelled (hashes by id: deleted for the acked ids)
-- KEYS[11 ..] acked:<b> bitmaps (bit token % 8192 of acked:<floor(token / 8192)> is set once that lease is acked)
-- ARGV[1] least ms to remember an ack  ARGV[2] now ms override ('' = Redis TIME; test hook)  ARGV[3] n
-- ARGV[4 .. 3+n] id_i  ARGV[4+n .. 3+2n] fencing token_i
-- ARGV[4+2n .. 3+3n] index in KEYS of the acked bitmap of token_i  ARGV[4+3n .. 3+4n] bit of token_i in it
-- ARGV[4+4n .. 3+5n] head_i, ARGV[4+5n .. 3+6n] tail_i of the task's record (see _record.lua; the tail carries
--   the result, if any): stored only for a lease valid now (an ack answered from the bitmaps stores nothing: the
--   first ack stored its record)
-- ARGV[4+6n .. 3+7n] 1 if errors may hold id_i (its attempt is above 1), else 0
-- Replies: one integer per id, in order: 1 acked, by this call or an earlier ack-batch with the same lease
-- | 0 lease lost (nothing changed for that id)
-- Each ack is remembered by its token, one bit each, for at least three times what was left of its lease (at least
-- ARGV[1] ms): each bitmap expires that long after its latest ack. So a call repeated after a lost reply answers
-- exactly, whichever leases it groups. Tokens are unique per queue (see claim.lua).
-- A constant number of commands per call, whatever n: one ZMSCORE, two HMGET (leases, started), ZREM, HDEL per hash
-- (errors only for retried ids), HSET of the records, ZADD of finished and BITFIELD per bitmap. The task's JSON is
-- never read: the caller, which holds the task, sends what its record needs.
-- Uses server_now (_now.lua) and finished_record (_record.lua), which Script.java puts in front of this text.
local n = tonumber(ARGV[3])
local now = server_now(ARGV[2])
local least = tonumber(ARGV[1])
local ids = {}
for i = 1, n do ids[i] = ARGV[3 + i] end
local expiries = redis.call('ZMSCORE', KEYS[1], unpack(ids))
local tokens = redis.call('HMGET', KEYS[2], unpack(ids))
local reply, done, heads, tails, retried, bits, keep = {}, {}, {}, {}, {}, {}, {}
for i = 1, n do
  local token, exp = ARGV[3 + n + i], expiries[i]
  local key = tonumber(ARGV[3 + 2 * n + i])
  local bit = ARGV[3 + 3 * n + i]
  if tokens[i] == token and exp and tonumber(exp) > now then
    done[#done + 1] = ids[i]
    heads[#done] = ARGV[3 + 4 * n + i]
    tails[#done] = ARGV[3 + 5 * n + i]
    if ARGV[3 + 6 * n + i] == '1' then retried[#retried + 1] = ids[i] end
    if not bits[key] then bits[key] = {}; keep[key] = least end
    local b = bits[key]
    b[#b + 1] = 'SET'; b[#b + 1] = 'u1'; b[#b + 1] = bit; b[#b + 1] = 1
    keep[key] = math.max(keep[key], 3 * (tonumber(exp) - now))
    reply[i] = 1
  elseif redis.call('GETBIT', KEYS[key], bit) == 1 then
    reply[i] = 1
  else
    reply[i] = 0
  end
end
if #done > 0 then
  local started = redis.call('HMGET', KEYS[8], unpack(done))
  local records, finished = {}, {}
  for j, id in ipairs(done) do
    records[#records + 1] = id
    records[#records + 1] = finished_record(heads[j], started[j], now, tails[j])
    finished[#finished + 1] = now
    finished[#finished + 1] = id
  end
  redis.call('HSET', KEYS[6], unpack(records))
  redis.call('ZADD', KEYS[7], unpack(finished))
  redis.call('HDEL', KEYS[8], unpack(done))
  if #retried > 0 then redis.call('HDEL', KEYS[9], unpack(retried)) end
  redis.call('HDEL', KEYS[10], unpack(done))
  redis.call('ZREM', KEYS[1], unpack(done))
  redis.call('HDEL', KEYS[2], unpack(done))
  redis.call('HDEL', KEYS[3], unpack(done))
  redis.call('HDEL', KEYS[4], unpack(done))
  redis.call('HDEL', KEYS[5], unpack(done))
  for key, b in pairs(bits) do
    redis.call('BITFIELD', KEYS[key], unpack(b))
    -- The bitmap goes once its last ack is due to be forgotten, so an idle queue does not keep it.
    if redis.call('PTTL', KEYS[key]) < keep[key] then redis.call('PEXPIRE', KEYS[key], keep[key]) end
  end
end
return reply
