"""Pure recognition of small talk the NLU has no intent for."""

from __future__ import annotations

import re

# A whole message of thanks: "谢谢", "多谢啦！", "thanks", "thank you so much", "thx 🙏". Not
# "好的谢谢": that is a yes (to a summary, it confirms), and the NLU reads it so.
_THANKS = re.compile(
    r"^\s*(?:谢谢|多谢|感谢|谢了|谢啦|thanks|thank\s*you|thank\s*u|thx|ty|cheers|many\s+thanks)"
    r"(?:\s*(?:你|您|啦|了|哈|呀|a\s+lot|so\s+much|very\s+much|again|师傅))*"
    r"[\s!！。.~～🙏😊👍❤️]*$",
    re.IGNORECASE)


def is_thanks(text: str) -> bool:
    """Whether the message is only a thank-you. The NLU reads it as "other", and the
    answer to that ("抱歉，我没太明白") is rude to a customer who is being polite."""
    return bool(_THANKS.match(text))
