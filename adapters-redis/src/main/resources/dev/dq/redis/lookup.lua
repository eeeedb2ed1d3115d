-- lookup: what the queue holds about some task ids, for TaskLookup.find/findAll and await's poller. Read-only.
-- KEYS[1] tasks  KEYS[2] attempts  KEYS[3] started  KEYS[4] errors  KEYS[5] records  KEYS[6] active  KEYS[7] delayed
-- KEYS[8] dead  KEYS[9] failures
-- ARGV[1] 'all' (find) | 'ends' (await's poller: only what tells that a task ended, so a poll never reads payloads)
--   | 'bare' ('all' with each task's payload_b64 emptied, for await's answer on a dead task: no payload crosses)
-- ARGV[2 .. n+1] the ids
-- Replies: 'all': {data_i.., attempt_i.., started_i.., error_i.., record_i.., active score_i.., delayed score_i..,
--   dead score_i.., failure_i..}: nine lists of n entries each, nil where the id has none
-- | 'ends': {record_i.., dead score_i..}, where an id held in tasks again (a reused id) has no record: the live task
--   is not ended, whatever its old record says
-- The caller decides the state: held (tasks) -> active / dead / retrying (error or attempt > 1) / delayed / ready;
-- else records -> its "state"; else not known.
-- A constant number of commands per call, whatever n: six HMGET and three ZMSCORE ('ends': one of each, plus one
-- HEXISTS per id that has a record).
local ids = {}
for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end
if ARGV[1] == 'ends' then
  local records = redis.call('HMGET', KEYS[5], unpack(ids))
  for i, id in ipairs(ids) do
    if records[i] and redis.call('HEXISTS', KEYS[1], id) == 1 then records[i] = false end
  end
  return {records, redis.call('ZMSCORE', KEYS[8], unpack(ids))}
end
local data = redis.call('HMGET', KEYS[1], unpack(ids))
if ARGV[1] == 'bare' then
  for i = 1, #ids do
    -- base64 holds no quote, so the value ends at the next one
    if data[i] then data[i] = string.gsub(data[i], '("payload_b64"%s*:%s*")[^"]*"', '%1"', 1) end
  end
end
return {
  data,
  redis.call('HMGET', KEYS[2], unpack(ids)),
  redis.call('HMGET', KEYS[3], unpack(ids)),
  redis.call('HMGET', KEYS[4], unpack(ids)),
  redis.call('HMGET', KEYS[5], unpack(ids)),
  redis.call('ZMSCORE', KEYS[6], unpack(ids)),
  redis.call('ZMSCORE', KEYS[7], unpack(ids)),
  redis.call('ZMSCORE', KEYS[8], unpack(ids)),
  redis.call('HMGET', KEYS[9], unpack(ids))
}
