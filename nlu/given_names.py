"""Common given names in Latin letters, for names written without an intro phrase.

"…for a deep clean, Alice Chen, 07700900123" or a message signed "Bob" gives a
name with nothing but its position to show it; so does "5 Main Street, Bob",
where the word after the street could as well be a town. Capitalisation alone
cannot tell "Bob" from "London", "Thanks" or "Friday", so a lone word counts as
a name only when it is a known given name. Names that are as often towns
(Sydney, Paris, Chester, Victoria…) are left out on purpose: after a street
they stay part of the address, elsewhere they are not guessed.
"""

from __future__ import annotations

GIVEN_NAMES: frozenset[str] = frozenset("""
aaron abby abdul abigail adam adrian agnes ahmed aidan aisha alan albert alex alexander alexandra alexis
alfie alfred ali alice alicia alison amanda amber amelia amir amit amy ana andrea andrew andy angela
angelina anita ann anna anne annie anthony anton archie arjun arthur ashley audrey ava barbara barry
beatrice becky ben benjamin bernard beth betty billy bob bobby bonnie brad bradley brandon brenda
brian bridget bruce bryan caleb calvin cameron carl carla carlos carmen carol caroline cassie catherine
cathy charles charlie chloe chris christina christine christopher cindy claire clara colin connor craig
cynthia daisy daniel danny darren dave david dean debbie deborah dennis derek diana diane dominic donald
donna doris dorothy douglas duncan dylan eddie edward eileen elaine eleanor elena eli elijah elizabeth
ella ellen ellie emily emma eric erica erin ethan eva evan evelyn fatima felix fiona frank freddie
frederick gabriel gary gavin gemma geoffrey george gerald gillian gloria gordon grace graham greg gregory
hannah harold harriet harry harvey hazel heather helen henry holly howard hugh hugo ian isaac isabel
isabella isla ivan jack jackie jacob jade jake james jamie jane janet jasmine jason jean jeff
jennifer jenny jeremy jerry jessica jill jim jimmy joan joanna joe joel john johnny jonathan jordan jose
joseph josh joshua joy joyce judith judy julia julian julie justin karen kate katherine kathy katie
keith kelly ken kenneth kevin kim kirsty kyle laura lauren leah lee leo leon lewis liam lily linda lisa
lizzie logan louis louise lucas lucy luke lydia maggie malcolm marcus margaret maria marie marion mark
martha martin mary matt matthew maureen megan melanie melissa mia michael michelle mike mildred
mohammed molly monica nancy naomi natalie nathan neil nicholas nick nicola nicole nina noah norman
oliver olivia oscar owen pamela patricia patrick paul paula pauline peggy penny peter philip phoebe
phyllis priya rachel rahul raj ralph ravi raymond rebecca richard rita robert robin roger ronald
rose rosie ross ruby russell ruth ryan sally sam samantha samuel sandra sarah scott sean sharon shirley
simon sofia sophia sophie stanley stella stephanie stephen steve steven stuart susan suzanne tara
teresa terry thomas tim timothy tina toby tom tommy tony tracy vanessa vera vicky vincent walter wayne
wendy william willow yvonne zach zara zoe
""".split())
