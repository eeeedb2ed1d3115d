-- _unique: a fragment, not a script. Script.java puts it after the shebang line of each script that removes tasks.
-- release_unique(unique, unique_of, unique_until, id, now): the task id is gone for good (its dead entry or its
-- finished record is deleted); forget the unique key it took. The key itself goes only if it still names this id
-- (compare-and-delete: a later holder keeps it) and its window, if any, has passed; a key held for an open window
-- stays with its unique-of entry, and trim's sweep of unique-until removes both once the window passes. With anyway
-- (a task deleted as if never enqueued) the key goes even within its window.
local function release_unique(unique, unique_of, unique_until, id, now, anyway)
  local key = redis.call('HGET', unique_of, id)
  if not key then return end
  if redis.call('HGET', unique, key) == id then
    local until_ms = redis.call('ZSCORE', unique_until, key)
    if until_ms and tonumber(until_ms) > now and not anyway then return end
    redis.call('HDEL', unique, key)
    redis.call('ZREM', unique_until, key)
  end
  redis.call('HDEL', unique_of, id)
end
