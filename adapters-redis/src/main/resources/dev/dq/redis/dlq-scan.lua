-- dlq-scan: one bounded step through a queue's dead set by death sequence, returning the candidates for a filter.
-- For DeadLetterQueue.find (a filtered page) and for the filtered bulk actions. The script only narrows: Java decodes
-- each candidate and decides (DeadLetterFilter.matches), so an entry this script drops is one Java would not match,
-- and a candidate may still not match. Read-only; a step looks at no more than ARGV[6] entries and reads no more than
-- ARGV[7] bytes of task data and failure records (HSTRLEN first, so a big entry ends a step before it is read).
-- KEYS[1] dead (zset id -> sequence)  KEYS[2] tasks (hash id -> data JSON)  KEYS[3] failures (hash id -> failure JSON)
-- KEYS[4] dead-seq (counter)
-- ARGV[1] cursor: the sequence of the last entry already looked at ('' = start at the oldest)
-- ARGV[2] highest sequence to look at ('' = no bound)
-- ARGV[3] task type to narrow by ('' = any): an entry stays a candidate when its data has a "type" key whose string
--   value is ARGV[3] (whitespace allowed around the colon), when no such key with a string value shows, or when its
--   data has any backslash (an escape the pattern cannot read); Java passes '' where it cannot narrow safely
-- ARGV[4] error text, lower-cased, to narrow by ('' = any): an entry stays a candidate when its lower-cased failure
--   record contains it, has any backslash, is not a JSON object, or has an error_type or message that is not a string
-- ARGV[5] most candidates  ARGV[6] most entries to look at  ARGV[7] most bytes per step (at least one entry is looked
--   at): the HSTRLEN of what narrowing reads, or with ARGV[8] = '1' of each entry's data and failure record (what Java
--   reads of the candidates), so a step's candidates fit the budget too
-- Replies: {counter, highest, next_cursor, end, scanned, id_1, seq_1, ..., id_n, seq_n}: counter is dead-seq (0 when
--   unset), highest the newest entry's sequence ('' when empty); next_cursor the sequence of the last entry looked at
--   (ARGV[1] when none); end 1 when no entry above next_cursor (within ARGV[2]) is left.
-- Entries sharing a sequence (only hand-written ones do) are looked at together, since the cursor is a sequence: a
-- step that ends inside such a group finishes it, and may pass ARGV[5], ARGV[6] and ARGV[7] by that much.
local want_type = ARGV[3]
local want_error = string.lower(ARGV[4])
local limit = tonumber(ARGV[5])
local budget = tonumber(ARGV[6])
local byte_budget = tonumber(ARGV[7])
local measure = ARGV[8] == '1'
local to = ARGV[2] == '' and '+inf' or ARGV[2]
local BATCH = 500

local function type_candidate(data)
  if not data then return false end -- Java lists it as dq.undecodable, which Java never passes here
  if string.find(data, '\\', 1, true) then return true end
  -- plain finds (C speed) for each "type" token, then a pattern anchored there: no pattern walks a whole payload
  local seen = false
  local at = 1
  while true do
    local s, e = string.find(data, '"type"', at, true)
    if not s then break end
    at = e + 1
    local value = string.match(data, '^%s*:%s*(.)', at)
    if value then
      if value ~= '"' then return true end -- not a string: leave it to Java
      seen = true
      if string.match(data, '^%s*:%s*"([^"]*)"', at) == want_type then return true end
    end
  end
  return not seen
end

local function error_candidate(json)
  if not json then return false end -- Java's fallback text, which Java never passes here
  if string.find(json, '\\', 1, true) then return true end
  if string.find(string.lower(json), want_error, 1, true) then return true end
  local ok, f = pcall(cjson.decode, json)
  if not ok or type(f) ~= 'table' then return true end
  return type(f.error_type) ~= 'string' or type(f.message) ~= 'string'
end

local out = {}
local scanned = 0
local bytes = 0
local cursor = ARGV[1]
local last_id = nil

-- Looks at a batch of {id, seq, id, seq, ...}, oldest first; with all=false stops once full. Returns whether it stopped.
local function look(batch, all)
  for j = 1, #batch, 2 do
    local id = batch[j]
    if not all and ((#out / 2) >= limit or scanned >= budget) then return true end
    local size = 0
    if want_type ~= '' or measure then size = size + redis.call('HSTRLEN', KEYS[2], id) end
    if want_error ~= '' or measure then size = size + redis.call('HSTRLEN', KEYS[3], id) end
    if not all and scanned > 0 and bytes + size > byte_budget then return true end
    bytes = bytes + size
    scanned = scanned + 1
    cursor = batch[j + 1]
    last_id = id
    local match = true
    if want_type ~= '' then match = type_candidate(redis.call('HGET', KEYS[2], id) or nil) end
    if match and want_error ~= '' then match = error_candidate(redis.call('HGET', KEYS[3], id) or nil) end
    if match then
      out[#out + 1] = id
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
