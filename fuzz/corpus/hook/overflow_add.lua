local m = civ.money("92233720368547758.07")
return {amount = m + m, reason = {code = "T", zh = "t", en = "t"}}
