-- dlq-scan: one bounded step through a queue's dead set by death sequence, returning the entries that match a filter.
-- For DeadLetterQueue.find (a filtered page) and for the filtered bulk actions (which then act on the ids returned).
-- Read-only; the work is bounded by ARGV[6] entries looked at, whatever the filter and the set's size.
-- KEYS[1] dead (zset id -> sequence)  KEYS[2] tasks (hash id -> data JSON)  KEYS[3] failures (hash id -> failure JSON)
-- KEYS[4] dead-seq (counter)
-- ARGV[1] cursor: the sequence of the last entry already looked at ('' = start at the oldest)
-- ARGV[2] highest sequence to look at ('' = no bound)
-- ARGV[3] task type to match exactly ('' = any)
-- ARGV[4] error text, lower-cased, to find in the failure's error_type or message ignoring ASCII case ('' = any)
-- ARGV[5] most matches  ARGV[6] most entries to look at
-- Replies: {counter, highest, next_cursor, end, scanned, id_1, seq_1, ..., id_n, seq_n}: counter is dead-seq (0 when
--   unset), highest the newest entry's sequence ('' when empty); next_cursor the sequence of the last entry looked at
--   (ARGV[1] when none); end 1 when no entry above next_cursor (within ARGV[2]) is left.
-- Entries sharing a sequence (only hand-written ones do) are looked at together, since the cursor is a sequence: a
-- step that ends inside such a group finishes it, and may pass ARGV[5] and ARGV[6] by that much.
local want_type = ARGV[3]
local want_error = string.lower(ARGV[4])
local limit = tonumber(ARGV[5])
local budget = tonumber(ARGV[6])
local to = ARGV[2] == '' and '+inf' or ARGV[2]
local BATCH = 500

local function type_of(data)
  local t = data and string.match(data, '"type":"([^"]*)"')
  return t or 'dq.undecodable' -- how RedisDeadLetterQueue lists an entry it cannot decode
end

local function error_text_of(json)
  if not json then return 'unknown' end
  local ok, f = pcall(cjson.decode, json)
  if not ok or type(f) ~= 'table' then return 'unknown\nfailure record is not json' end
  local et = type(f.error_type) == 'string' and f.error_type or 'unknown'
  local msg = type(f.message) == 'string' and f.message or ''
  return string.lower(et) .. '\n' .. string.lower(msg)
end

local out = {}
local scanned = 0
local cursor = ARGV[1]
local last_id = nil

-- Looks at a batch of {id, seq, id, seq, ...}, oldest first; with all=false stops once full. Returns whether it stopped.
local function look(batch, all)
  local ids = {}
  for i = 1, #batch, 2 do ids[#ids + 1] = batch[i] end
  if #ids == 0 then return false end
  local datas = want_type ~= '' and redis.call('HMGET', KEYS[2], unpack(ids)) or nil
  local failures = want_error ~= '' and redis.call('HMGET', KEYS[3], unpack(ids)) or nil
  for j = 1, #ids do
    if not all and ((#out / 2) >= limit or scanned >= budget) then return true end
    scanned = scanned + 1
    cursor = batch[2 * j]
    last_id = ids[j]
    local match = true
    if datas and type_of(datas[j]) ~= want_type then match = false end
    if match and failures and not string.find(error_text_of(failures[j]), want_error, 1, true) then match = false end
    if match then
      out[#out + 1] = ids[j]
      out[#out + 1] = cursor
    end
  end
  return false
end

local from = ARGV[1] == '' and '-inf' or '(' .. ARGV[1]
local stopped = false
while true do
  local n = math.min(BATCH, budget - scanned)
  if n <= 0 or (#out / 2) >= limit then stopped = true break end
  local batch = redis.call('ZRANGEBYSCORE', KEYS[1], from, to, 'WITHSCORES', 'LIMIT', 0, n)
  if look(batch, false) then stopped = true break end
  if #batch < 2 * n then break end -- reached the end
  from = '(' .. cursor
end

if stopped and last_id then
  -- finish the group of entries sharing the last sequence (ordered by id within it)
  local group = redis.call('ZRANGEBYSCORE', KEYS[1], cursor, cursor, 'WITHSCORES')
  local rest = {}
  for i = 1, #group, 2 do
    if group[i] > last_id then rest[#rest + 1] = group[i]; rest[#rest + 1] = group[i + 1] end
  end
  look(rest, true)
end

local ended = 1
if stopped and #redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. cursor, to, 'LIMIT', 0, 1) > 0 then ended = 0 end
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local reply = {tonumber(redis.call('GET', KEYS[4]) or '0'), newest[2] or '', cursor, ended, scanned}
for i = 1, #out do reply[#reply + 1] = out[i] end
return reply
