return {amount = civ.money("9223372036854775807"), reason = {code = "T", zh = "t", en = "t"}}
