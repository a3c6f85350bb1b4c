-- POST /v1/events/bulk with 10,000 flat alerts (~600 bytes each) per request, NDJSON.
-- The body is built once; lines carry no `id`, so every line of every request is stored.
-- Events per second = requests per second x 10,000.
local token = os.getenv("BENCH_ADMIN_TOKEN") or ""
local body = nil

local template = '{"source":"suricata-sensor-07","severity":"high",'
  .. '"title":"ET POLICY Possible outbound SSH brute force attempt %d",'
  .. '"src_ip":"10.20.%d.%d","dst_ip":"203.0.113.77","user":"svc-backup",'
  .. '"host":"web-prod-03.corp.example.com","timestamp":"2024-05-17T13:45:22.123Z",'
  .. '"tags":["ssh","bruteforce"],"raw":{"signature_id":"2001219","dest_port":"22","proto":"TCP",'
  .. '"app_proto":"ssh","in_iface":"eth0","flow_id":"1391220811572012","community_id":"1:Ku8hT0Rt2hUOAi2v1dI0MpXHdN8=",'
  .. '"category":"Potential Corporate Privacy Violation","rev":"7","gid":"1"}}'

function init(args)
  local lines = {}
  for i = 1, 10000 do
    lines[i] = string.format(template, i % 97, math.floor(i / 250) % 250, i % 250)
  end
  body = table.concat(lines, "\n") .. "\n"
end

function request()
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-ndjson", ["Authorization"] = "Bearer " .. token}, body)
end
