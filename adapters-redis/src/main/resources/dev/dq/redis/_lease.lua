-- _lease: a fragment, not a script. Script.java puts it after the shebang line of each script that settles a lease.
-- lease_expiry(active, leases, id, token, now): the fencing rule. A lease is valid only while leases[id] holds this
-- token and its expiry in active is still ahead of now; returns that expiry (ms, a number) if so, else nil.
local function lease_expiry(active, leases, id, token, now)
  local exp = redis.call('ZSCORE', active, id)
  if redis.call('HGET', leases, id) ~= token or not exp or tonumber(exp) <= now then return nil end
  return tonumber(exp)
end
