#!/usr/bin/env python3
"""Generate embedlab's sample data: an English and a Chinese corpus with planted relations, and item sessions.

Run from anywhere: ``python sample_data/make_samples.py`` rewrites the files next to this script. The output is a
pure function of the code below: every random draw goes through ``random.Random.random()``, the one part of Python's
``random`` module whose sequence is guaranteed to stay the same across Python versions, so the files are byte-identical
on every machine.

What is planted (and what the tests check after training Word2Vec for 5 epochs):

* ``english.txt`` -- gender pairs (king/queen, man/woman, ...) share their role's contexts and differ only in
  he/his/him versus she/her; country and capital share national words (french, seine, ...) and differ in
  country-like versus city-like contexts; singular and plural nouns share their class's contexts and differ in number
  words and agreement; verbs appear as base, -ing and past forms with the matching time words.
  king - man + woman -> queen, berlin - germany + france -> paris.
* ``chinese.txt`` -- the same for 国王/女王, 男人/女人, ..., and 法国/巴黎 ..., written without spaces for jieba.
* ``sessions.txt`` + ``items.csv`` -- shopping sessions over a generated catalogue; a session stays in one category
  and its complements (phones with phone cases and chargers, coffee with coffee filters, ...).
* ``documents.txt`` -- short labelled documents (label, tab, text) on six topics for Doc2Vec; about one clause in
  eight borrows another topic's words.
"""

from __future__ import annotations

import bisect
import csv
import io
import random
import re
from pathlib import Path
from typing import Callable, Sequence

SEED = 20240607
HERE = Path(__file__).resolve().parent

ENGLISH_SENTENCES = 40_000
CHINESE_SENTENCES = 20_000
SESSIONS = 12_000


# --------------------------------------------------------------------------------------------------------------------
# Randomness: only Random.random() is used, since it is the only draw Python promises never to change.
# --------------------------------------------------------------------------------------------------------------------


class Rand:
    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def random(self) -> float:
        return self._random.random()

    def chance(self, p: float) -> bool:
        return self.random() < p

    def below(self, n: int) -> int:
        return min(int(self.random() * n), n - 1)

    def between(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi], both included."""
        return lo + self.below(hi - lo + 1)

    def choice(self, seq: Sequence):
        return seq[self.below(len(seq))]

    def shuffled(self, seq: Sequence) -> list:
        items = list(seq)
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items


class Weighted:
    """Draw items with fixed weights (cumulative table + bisect)."""

    def __init__(self, items: Sequence, weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: Rand):
        i = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]


def zipf(items: Sequence, s: float = 1.0, offset: float = 1.0) -> Weighted:
    """Weights 1 / (rank + offset)^s: the first items are common, the last ones rare."""
    return Weighted(items, [1.0 / (rank + offset) ** s for rank in range(len(items))])


SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, rng: Rand, bound: dict[str, str], fillers: dict[str, Callable[[Rand], str]]) -> str:
    """Replace every {slot}: a bound value if there is one, else a fresh draw from the slot's filler."""

    def one(match: re.Match) -> str:
        name = match.group(1)
        if name in bound:
            return bound[name]
        return fillers[name](rng)

    return SLOT.sub(one, template)


def english_sentence(text: str) -> str:
    """Tidy a filled English template: single spaces, punctuation attached to the word before it."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\ba ([aeiou])", r"an \1", text)
    return re.sub(r" ([.,?!;:])", r"\1", text)


def zh(text: str) -> str:
    return text.replace(" ", "")


def sentences_to_text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def words(text: str) -> list[str]:
    return text.split()


# --------------------------------------------------------------------------------------------------------------------
# English
# --------------------------------------------------------------------------------------------------------------------

ADJECTIVES = words("""
    good new old small big long little great young large happy quiet strange simple warm cold beautiful dark bright
    tired busy famous kind hungry careful clever friendly proud angry calm brave gentle lonely lucky nervous polite
    serious shy silly curious honest patient quick slow heavy light clean dirty soft hard loud empty full fresh
    wooden tall short narrow wide early late rich poor strong weak wet dry sweet bitter sharp smooth rough cheap
    expensive modern ancient elegant plain rare ordinary colourful pale golden silver tiny huge perfect terrible
    wonderful comfortable dangerous peaceful noisy crowded lovely charming cheerful grumpy sleepy thoughtful clumsy
    fragile sturdy shiny dusty muddy frozen rusty crooked fancy humble stubborn generous mysterious
""")

OBJECTS = words("""
    table door window bag key phone letter lamp clock map picture bed shelf coat hat ticket bell
    umbrella basket mirror pencil candle blanket wallet ring jacket scarf camera radio notebook pillow bucket ladder
    rope kettle spoon knife fork plate bowl towel brush envelope card guitar piano violin drum painting statue
    newspaper magazine backpack suitcase glove boot sock bicycle helmet compass lantern jar tray vase carpet curtain
    fence gate stool bench sofa desk cupboard drawer hammer nail screw shovel rake tent flag badge medal trophy
    puzzle kite balloon whistle feather shell pebble stamp coin button thread needle ribbon bracelet necklace
""")

PLACES = words("""
    market station library park garden kitchen village harbour museum forest hill shop hotel restaurant beach
    hospital office river lake square church theatre cinema bakery school farm field valley street corner
    cafe airport mountain island desert castle tower bank factory stadium gallery pharmacy courtyard cellar attic
    meadow orchard vineyard quarry lighthouse monastery cottage barn pier canal
""")

FOODS = words("bread rice soup cheese fish meat cake eggs butter salad pasta chocolate honey jam cookies "
              "beans nuts porridge pie")
DRINKS = words("tea coffee water milk juice wine lemonade cocoa")
TOPICS = words("music history politics science football art weather money travel cooking poetry gardening "
               "mathematics philosophy medicine fashion")
ADVERBS = words("very quite really rather always usually often sometimes surprisingly unusually extremely")
SEASONS = words("spring summer autumn winter")
WEEKDAYS = words("monday tuesday wednesday thursday friday saturday sunday")
NUMBERS = words("two three four five six seven eight nine ten twelve twenty")
MEALS = words("breakfast lunch dinner supper")
COLOURS = words("red blue green yellow black white brown grey orange purple")
TRAITS = words("""
    kind clever friendly proud brave gentle polite serious shy curious honest patient generous stubborn humble
    cheerful grumpy thoughtful clumsy charming elegant famous quiet cautious wise funny strict modest
""")
FEELINGS = words("tired busy happy hungry angry calm nervous sleepy cold proud lonely worried surprised excited bored "
                 "thirsty sad glad relieved upset")
PLACE_ADJECTIVES = words("quiet busy crowded noisy peaceful beautiful lovely old new small big famous empty dark "
                         "bright charming ancient modern pleasant")
WEATHER = words("cold warm mild hot wet dry pleasant windy sunny rainy freezing humid grey")
NOUN_ADJECTIVES = words("small big old little large young tiny huge beautiful strange lovely ordinary dirty clean "
                        "healthy lonely")
STORY_ADJECTIVES = words("funny sad long strange scary wonderful mysterious romantic short old")
TOPIC_ADJECTIVES = words("interesting difficult popular complicated fascinating boring useful important")

TIMES = ["in the morning", "in the evening", "at night", "after lunch", "before dinner", "at noon",
         "on the weekend", "at dawn", "in the afternoon", "late at night", "early in the morning"]

ENGLISH_FILLERS: dict[str, Callable[[Rand], str]] = {}


def _register(name: str, chooser: Weighted) -> None:
    ENGLISH_FILLERS[name] = chooser.pick


for _name, _items, _s in [
    ("adj", ADJECTIVES, 1.0), ("obj", OBJECTS, 1.0), ("place", PLACES, 0.9), ("food", FOODS, 1.0),
    ("drink", DRINKS, 1.0), ("topic", TOPICS, 1.0), ("adv", ADVERBS, 1.0), ("season", SEASONS, 0.3),
    ("weekday", WEEKDAYS, 0.3), ("num", NUMBERS, 1.0), ("meal", MEALS, 0.5), ("colour", COLOURS, 0.8),
    ("time", TIMES, 0.8), ("trait", TRAITS, 0.9), ("feeling", FEELINGS, 0.9), ("placeadj", PLACE_ADJECTIVES, 0.9),
    ("weather", WEATHER, 0.8), ("nadj", NOUN_ADJECTIVES, 0.9), ("story", STORY_ADJECTIVES, 0.8),
    ("topicadj", TOPIC_ADJECTIVES, 0.8),
]:
    _register(_name, zipf(_items, _s))

FILLER_TEMPLATES = [
    "the {adj} {obj} was on the table in the {place} .",
    "it was a {weather} day , so we stayed near the {place} .",
    "nobody expected the {obj} to be so {adj} .",
    "after {meal} we headed to the {place} and got a {adj} {obj} .",
    "the weather was {weather} and the {place} was {placeadj} .",
    "there was a {adj} {obj} next to the {obj} .",
    "people claim the {place} is {adv} {placeadj} in {season} .",
    "{time} , the {place} was full of people .",
    "please put the {obj} back in the {place} .",
    "do you know where the {adj} {obj} is ?",
    "the {obj} in the {place} seemed {adj} and {adj} .",
    "we talked about {topic} for a long time .",
    "the price of {food} rose again this {season} .",
    "we had {drink} at the {place} {time} .",
    "the {placeadj} {place} is {adv} quiet at night .",
    "{topic} is a {topicadj} subject .",
    "our {obj} broke , so we needed a new {obj} .",
    "a {weather} wind blew across the {place} .",
    "a new {obj} shop opened near the {place} last {season} .",
    "we waited for the tram outside the {place} .",
    "the {colour} {obj} is the one you want .",
    "on {weekday} the {place} closes early .",
    "they painted the {obj} {colour} and hung it in the {place} .",
    "is there any {food} left for {meal} ?",
    "the path to the {place} was muddy after the rain .",
    "you can find a {adj} {obj} at the {place} .",
    "the {obj} and the {obj} were both {adj} .",
    "we had {food} and {drink} for {meal} .",
    "the {place} near the {place} is {adv} {placeadj} .",
    "in {season} the {place} looks {placeadj} .",
    "a book about {topic} lay next to the {colour} {obj} .",
    "the light in the {place} was soft in the evening .",
    "i never liked {topic} , but this book about it is {topicadj} .",
    "we cleaned the {obj} and the {obj} before {meal} .",
    "the {obj} from the {place} was {adj} .",
]

# --- gender pairs ---------------------------------------------------------------------------------------------------

PRONOUNS = {
    "m": {"he": "he", "his": "his", "him": "him", "himself": "himself"},
    "f": {"he": "she", "his": "her", "him": "her", "himself": "herself"},
}

# (male, female, role); earlier pairs are more frequent.
GENDER_PAIRS = [
    ("man", "woman", "person"),
    ("king", "queen", "monarch"),
    ("boy", "girl", "child"),
    ("father", "mother", "parent"),
    ("son", "daughter", "offspring"),
    ("brother", "sister", "sibling"),
    ("husband", "wife", "spouse"),
    ("prince", "princess", "royal_child"),
    ("uncle", "aunt", "relative"),
    ("actor", "actress", "stage"),
    ("grandfather", "grandmother", "grandparent"),
    ("dad", "mom", "parent"),
    ("nephew", "niece", "offspring"),
    ("waiter", "waitress", "restaurant"),
    ("groom", "bride", "wedding"),
    ("policeman", "policewoman", "police"),
    ("grandson", "granddaughter", "offspring"),
    ("stepfather", "stepmother", "parent"),
    ("monk", "nun", "religion"),
    ("hero", "heroine", "story"),
]

KIN = {
    "m": words("father son brother husband uncle grandfather nephew grandson"),
    "f": words("mother daughter sister wife aunt grandmother niece granddaughter"),
}

PERSON_TEMPLATES = [
    "the {w} said that {he} was {feeling} .",
    "a {trait} {w} came into the {place} and {he} settled down .",
    "i met the {w} near the {place} , and {he} smiled at me .",
    "the {w} picked up {his} {obj} and left the {place} .",
    "everyone liked the {w} because {he} was so {trait} .",
    "the {w} told {his} friends a {story} story .",
    "the {w} lost {his} {obj} somewhere in the {place} .",
    "{he} is a {trait} {w} who lives near the {place} .",
    "the {w} stared at {himself} in the mirror .",
    "we asked the {w} where {he} had put the {obj} .",
    "the {w} was by the window when {he} heard a noise .",
    "nobody understood why the {w} left {his} {obj} in the {place} .",
    "the {w} thanked us , and then {he} headed home .",
    "the {w} and {his} {kin} strolled to the {place} .",
    "the {w} called {his} {kin} {time} .",
    "{his} {kin} visited the {w} on {weekday} .",
    "the {w} was tired , so we gave {him} a cup of {drink} .",
    "the {w} was wearing {his} {colour} coat .",
    "when the {w} arrived , {he} was {feeling} .",
    "the {trait} {w} waved {his} hand and {he} laughed .",
    "a {w} asked me the way to the {place} , so i showed {him} .",
    "the {w} opened {his} bag and {he} pulled out a {obj} .",
    "the {w} put on {his} hat and {he} stepped out .",
    "{he} was the only {w} in the {place} that {season} .",
]

ROLE_TEMPLATES = {
    "person": [
        "the {w} next door fixed {his} {obj} {time} .",
        "a {w} was waiting at the tram stop , and {he} seemed {feeling} .",
        "the {w} works in an office , and {he} drives to work every day .",
        "the {w} on the tram was studying {his} newspaper .",
    ],
    "monarch": [
        "the {w} ruled the kingdom for many years , and {he} was {trait} .",
        "the {w} was on the throne while {his} court waited .",
        "the {w} wore {his} golden crown at the ceremony .",
        "long live the {w} , the people shouted in the royal palace .",
        "the {w} ordered {his} army to defend the kingdom .",
        "the {w} greeted {his} subjects from the palace balcony .",
        "the reign of the {w} was long and {he} was loved by the kingdom .",
        "the {w} gave a royal speech from the throne .",
        "the crown passed to the {w} after {his} coronation .",
        "the {w} lived in a royal palace with {his} court .",
        "the {w} signed a royal decree and {his} ministers bowed .",
    ],
    "royal_child": [
        "the young {w} rode {his} horse around the castle .",
        "the {w} will one day inherit the throne of {his} parents .",
        "the {w} was the star of the royal ball in the castle .",
        "the little {w} wandered in the castle garden with {his} nanny .",
        "everyone in the castle loved the young {w} and {his} horse .",
    ],
    "child": [
        "the little {w} built towers with {his} toys after school .",
        "the {w} did {his} homework before bedtime .",
        "the teacher praised the {w} for {his} drawing .",
        "the young {w} raced across the playground with {his} ball .",
        "the {w} was only ten , but {he} could swim very well .",
    ],
    "parent": [
        "the {w} cooked dinner for {his} children .",
        "the {w} drove {his} children to school in the morning .",
        "the {w} told a bedtime story to {his} children .",
        "the {w} was proud of {his} children and {his} family .",
    ],
    "offspring": [
        "the {w} visited {his} parents every weekend .",
        "the {w} inherited the house from {his} parents .",
        "the {w} resembled {his} parents .",
        "the {w} sent a letter home to {his} parents .",
    ],
    "sibling": [
        "the {w} shared a bedroom with {his} siblings .",
        "the {w} argued with {his} siblings about the {obj} .",
        "the older {w} always helped {his} younger siblings .",
    ],
    "spouse": [
        "the {w} and {his} partner celebrated their anniversary .",
        "the {w} has been married for twenty years .",
        "the {w} wore {his} wedding ring every day .",
    ],
    "relative": [
        "the {w} came to the family dinner with a gift .",
        "our {w} lives far away , so {he} visits only at christmas .",
        "the {w} sent {his} relatives a postcard .",
    ],
    "stage": [
        "the {w} had the leading role in the film .",
        "the {w} rehearsed {his} lines in the theatre .",
        "the famous {w} won an award for {his} performance .",
        "the {w} bowed to the audience after the play .",
    ],
    "grandparent": [
        "the {w} told the grandchildren stories about {his} youth .",
        "the old {w} dozed in {his} armchair by the fire .",
        "the {w} baked cookies for {his} grandchildren .",
    ],
    "restaurant": [
        "the {w} brought us the menu and {he} smiled .",
        "the {w} carried the plates to our table .",
        "we left a tip for the friendly {w} .",
    ],
    "wedding": [
        "the {w} was nervous before the wedding .",
        "the {w} came down the aisle at {his} wedding .",
        "everyone at the wedding cheered for the {w} .",
    ],
    "police": [
        "the {w} stopped the car and asked for {his} papers .",
        "the {w} directed the traffic at the crossing .",
        "the {w} filed a report at the police station .",
    ],
    "religion": [
        "the {w} prayed in the monastery every morning .",
        "the {w} lived a quiet life of prayer in the monastery .",
    ],
    "story": [
        "the {w} of the story saved the village from the dragon .",
        "in the end the {w} of the novel returned home .",
    ],
}

# --- countries and capitals -----------------------------------------------------------------------------------------

# (country, capital, nationality / language word, language, continent, things the country is known for)
COUNTRIES = [
    ("france", "paris", "french", "french", "europe", ("seine", "croissants", "eiffel", "baguettes")),
    ("germany", "berlin", "german", "german", "europe", ("rhine", "sausages", "bratwurst", "autobahn")),
    ("italy", "rome", "italian", "italian", "europe", ("tiber", "pizza", "colosseum", "espresso")),
    ("spain", "madrid", "spanish", "spanish", "europe", ("flamenco", "paella", "tapas", "bullfights")),
    ("japan", "tokyo", "japanese", "japanese", "asia", ("sushi", "kimono", "samurai", "fuji")),
    ("china", "beijing", "chinese", "chinese", "asia", ("yangtze", "dumplings", "pandas", "kungfu")),
    ("russia", "moscow", "russian", "russian", "europe", ("volga", "borscht", "kremlin", "vodka")),
    ("egypt", "cairo", "egyptian", "arabic", "africa", ("nile", "pyramids", "pharaohs", "sphinx")),
    ("england", "london", "english", "english", "europe", ("thames", "cricket", "pubs", "scones")),
    ("greece", "athens", "greek", "greek", "europe", ("acropolis", "olives", "feta", "parthenon")),
    ("sweden", "stockholm", "swedish", "swedish", "europe", ("meatballs", "vikings", "archipelago", "ikea")),
    ("norway", "oslo", "norwegian", "norwegian", "europe", ("fjords", "glaciers", "salmon", "trolls")),
    ("canada", "ottawa", "canadian", "english", "america", ("hockey", "maple", "moose", "mounties")),
    ("australia", "canberra", "australian", "english", "oceania", ("kangaroos", "outback", "koalas", "surfing")),
    ("thailand", "bangkok", "thai", "thai", "asia", ("temples", "curry", "elephants", "tuktuks")),
    ("vietnam", "hanoi", "vietnamese", "vietnamese", "asia", ("mekong", "pho", "lanterns", "scooters")),
    ("cuba", "havana", "cuban", "spanish", "america", ("cigars", "salsa", "rum", "baseball")),
    ("portugal", "lisbon", "portuguese", "portuguese", "europe", ("fado", "sardines", "port", "tiles")),
    ("poland", "warsaw", "polish", "polish", "europe", ("vistula", "pierogi", "chopin", "amber")),
    ("finland", "helsinki", "finnish", "finnish", "europe", ("saunas", "lakes", "reindeer", "sisu")),
]

COUNTRY_TEMPLATES = [
    "{country} is a large country in {continent} .",
    "the government of {country} announced a new law .",
    "the {nationality} economy of {country} grew quickly last year .",
    "many tourists visit {country} every {season} .",
    "people in {country} speak {language} .",
    "the border between {country} and {country2} is very long .",
    "{country} and {country2} signed a trade agreement .",
    "the population of {country} is still growing .",
    "the national team of {country} won the match .",
    "the president of {country} met the leaders of {country2} .",
    "{country} is a beautiful country , famous for {thing} .",
    "we travelled across {country} by train .",
    "the climate of {country} is {weather} in {season} .",
    "the parliament of {country} passed the new budget .",
    "{country} exports machines and food to {country2} .",
    "the history of {country} goes back many centuries , said the {nationality} historian .",
]
CAPITAL_TEMPLATES = [
    "{capital} is the capital of {country} .",
    "{capital} is the capital and the largest city of {country} .",
    "the capital of {country} is {capital} .",
    "{capital} is the {nationality} capital .",
    "the streets of {capital} were crowded with {nationality} families .",
    "we travelled by rail from {capital} to {capital2} .",
    "the {nationality} mayor of {capital} opened a new {place} .",
    "the museums of {capital} are full of {nationality} art .",
    "she travelled to {capital} for a meeting .",
    "the old town of {capital} is beautiful in {season} .",
    "the city of {capital} has the busiest {nationality} airport .",
    "he rented a small flat in the centre of {capital} .",
    "traffic in downtown {capital} was terrible , said the {nationality} radio .",
    "the subway of {capital} is fast and cheap .",
    "{capital} is a lively city , famous for {thing} .",
    "the city council of {capital} built a new bridge .",
    "we stayed a weekend in {capital} and tried {nationality} food .",
]
NATIONAL_TEMPLATES = [
    "{nationality} food is very popular in {place_of} .",
    "the {nationality} government in {place_of} talked about {thing} .",
    "{thing} and {thing2} remind everyone of {place_of} .",
    "you can see {thing} all over {place_of} .",
    "we got {nationality} souvenirs in {place_of} .",
    "the {nationality} tourists in {place_of} photographed the {thing} .",
    "the {nationality} people of {place_of} love {thing} .",
    "the {thing} is one of the most famous sights of {place_of} .",
    "many {nationality} artists live in {place_of} .",
    "in {place_of} most people speak {language} .",
    "we enjoyed {thing} every day when we were in {place_of} .",
    "the {nationality} newspapers in {place_of} reported on the election .",
    "a {nationality} writer was born in {place_of} .",
    "{place_of} is famous for {thing} and {thing2} .",
]

# --- singular and plural --------------------------------------------------------------------------------------------

NOUNS = {
    "animal": [("cat", "cats"), ("dog", "dogs"), ("horse", "horses"), ("cow", "cows"), ("pig", "pigs"),
               ("goat", "goats"), ("lion", "lions"), ("elephant", "elephants"), ("monkey", "monkeys"),
               ("bird", "birds"), ("mouse", "mice"), ("snake", "snakes"), ("donkey", "donkeys"), ("rat", "rats"),
               ("eagle", "eagles")],
    "fruit": [("apple", "apples"), ("banana", "bananas"), ("pear", "pears"), ("mango", "mangoes"),
              ("melon", "melons"), ("pineapple", "pineapples"), ("orange", "oranges"), ("lemon", "lemons")],
    "vegetable": [("onion", "onions"), ("tomato", "tomatoes"), ("carrot", "carrots"), ("potato", "potatoes")],
    "vehicle": [("car", "cars"), ("bus", "buses"), ("truck", "trucks"), ("boat", "boats"), ("train", "trains")],
    "machine": [("computer", "computers"), ("machine", "machines"), ("printer", "printers")],
    "container": [("bottle", "bottles"), ("cup", "cups"), ("box", "boxes")],
    "structure": [("building", "buildings"), ("road", "roads"), ("house", "houses"), ("bridge", "bridges")],
    "person": [("child", "children"), ("student", "students"), ("teacher", "teachers")],
    "body": [("hand", "hands"), ("eye", "eyes"), ("finger", "fingers"), ("foot", "feet")],
    "thing": [("book", "books"), ("chair", "chairs"), ("cloud", "clouds"), ("dream", "dreams"),
              ("dollar", "dollars"), ("color", "colors")],
}

# What each noun does: past-tense predicates that need no agreement, shared by its singular and plural.
NOUN_PREDICATES = {
    "cat": ["purred on the sofa", "climbed the fence"], "dog": ["barked at the postman", "chewed a bone"],
    "horse": ["galloped across the meadow", "needed a new saddle"], "cow": ["gave a lot of milk", "mooed in the barn"],
    "pig": ["rolled in the mud", "grunted loudly"], "goat": ["climbed the rocks", "chewed on the hedge"],
    "lion": ["roared at the visitors", "hunted on the savanna"], "elephant": ["trumpeted loudly", "carried heavy logs"],
    "monkey": ["swung from branch to branch", "stole a hat"], "bird": ["built a nest", "chirped in the tree"],
    "mouse": ["nibbled the cheese", "squeaked behind the wall"], "snake": ["slithered through the grass", "hissed at us"],
    "donkey": ["carried the bags up the hill", "brayed loudly"], "rat": ["gnawed through the cable", "lived in the sewer"],
    "eagle": ["soared over the valley", "nested on the cliff"],
    "apple": ["grew on the old tree", "tasted crisp"], "banana": ["turned brown", "came from the tropics"],
    "pear": ["ripened on the windowsill", "grew in the orchard"], "mango": ["tasted of summer", "ripened in the sun"],
    "melon": ["needed a sharp knife", "cooled in the fridge"], "pineapple": ["smelled sweet", "had spiky leaves"],
    "orange": ["gave fresh juice", "tasted sweet"], "lemon": ["tasted sour", "added flavour to the tea"],
    "onion": ["made us cry", "smelled strong"], "tomato": ["ended up in the sauce", "ripened in the greenhouse"],
    "carrot": ["grew in the vegetable patch", "tasted crunchy"], "potato": ["boiled for twenty minutes", "grew under the ground"],
    "car": ["needed new tyres", "honked at the cyclist"], "bus": ["arrived late", "stopped at every corner"],
    "truck": ["delivered the furniture", "blocked the street"], "boat": ["sailed across the bay", "rocked on the waves"],
    "train": ["arrived on time", "stopped at the station"], "computer": ["crashed again", "needed an update"],
    "machine": ["made a loud noise", "needed oil"], "printer": ["jammed again", "needed new ink"],
    "bottle": ["rolled off the table", "contained cold water"], "cup": ["cracked in the dishwasher", "held hot coffee"],
    "box": ["contained old letters", "arrived by post"], "building": ["collapsed in the earthquake", "had twenty floors"],
    "road": ["led to the coast", "needed repairs"], "house": ["had a red roof", "stood on the hill"],
    "bridge": ["crossed the river", "collapsed in the flood"], "child": ["laughed at the clown", "cried all night"],
    "student": ["passed the exam", "studied in the library"], "teacher": ["marked the essays", "explained the lesson"],
    "hand": ["trembled", "needed a wash"], "eye": ["watered in the wind", "blinked in the sun"],
    "finger": ["pointed at the map", "ached after typing"], "foot": ["ached after the hike", "needed new shoes"],
    "book": ["described a journey", "became a bestseller"], "chair": ["creaked loudly", "wobbled"],
    "cloud": ["covered the sun", "drifted across the sky"], "dream": ["came true", "felt real"],
    "dollar": ["lost value", "changed hands"], "color": ["faded in the sun", "matched the curtains"],
}
PREDICATE_TEMPLATES = [
    "{det} {n} {pred} .",
    "we noticed that {det} {n} {pred} .",
    "{det} {nadj} {n} {pred} .",
    "everyone knows that {det} {n} {pred} .",
]

NUMBER_WORDS = {
    "sg": {"det": ["a", "the", "this", "that", "one", "my", "our", "every", "another"],
           "is": "is", "was": "was", "has": "has", "it": "it", "its": "its"},
    "pl": {"det": ["the", "these", "those", "two", "three", "many", "some", "my", "our", "several", "all the"],
           "is": "are", "was": "were", "has": "have", "it": "they", "its": "their"},
}

NUMBER_TEMPLATES = [
    "{det} {n} {was} in the {place} .",
    "there {is} {det} {n} near the {place} .",
    "i noticed {det} {nadj} {n} earlier .",
    "{det} {nadj} {n} {is} over there .",
    "look at {det} {n} !",
    "{det} {n} {was} {nadj} , and {it} {was} {nadj} too .",
]
NUMBER_ONLY_TEMPLATES = {
    "sg": [
        "only one {n} was left .",
        "there is a single {n} in the picture .",
        "each {n} is different .",
        "a {n} is not the same as another {n} .",
        "which {n} is yours ?",
        "this {n} is mine and that {n} is yours .",
    ],
    "pl": [
        "{num} {n} were left .",
        "there are {num} {n} in the picture .",
        "dozens of {n} were there .",
        "how many {n} are there ?",
        "a lot of {n} are different .",
        "these {n} are mine and those {n} are yours .",
    ],
}
CLASS_TEMPLATES = {
    "animal": ["{det} {n} {was} eating grass in the field .", "the farmer fed {det} {n} .",
               "we saw {det} {n} at the zoo .", "{det} wild {n} {was} sleeping under a tree .",
               "{det} {n} ran away from the barn .", "{det} hungry {n} {was} looking for food ."],
    "fruit": ["we bought {det} {n} at the market .", "{det} ripe {n} {was} sweet and juicy .",
              "we ate {det} {n} for breakfast .", "{det} fresh {n} {was} on the kitchen table ."],
    "vegetable": ["we chopped {det} {n} for the soup .", "{det} {n} from the garden {was} fresh .",
                  "the cook peeled {det} {n} ."],
    "vehicle": ["{det} {n} {was} parked outside the {place} .", "{det} old {n} broke down on the way .",
                "{det} {n} drove past the {place} .", "we waited for {det} {n} at the {place} ."],
    "machine": ["{det} {n} stopped working again .", "{det} new {n} {was} expensive .",
                "we switched off {det} {n} before we left ."],
    "container": ["{det} {n} {was} full of water .", "we filled {det} {n} and put {it} on the shelf .",
                  "{det} empty {n} {was} on the floor ."],
    "structure": ["{det} {n} near the river {was} very old .", "workers built {det} {n} last year .",
                  "{det} {n} in the town {was} damaged by the storm ."],
    "person": ["{det} {n} {was} playing in the {place} .", "{det} {n} laughed at the joke .",
               "{det} {n} {was} waiting outside the school ."],
    "body": ["{det} {n} {was} cold after the hike .", "he washed {det} {n} before dinner .",
             "{det} {n} {was} hurting after the game ."],
    "thing": ["{det} {n} {was} on my mind all day .", "{det} {n} {was} {nadj} .", "we talked about {det} {n} ."],
}

# --- verb tenses ----------------------------------------------------------------------------------------------------

# (base, -ing, past, complements)
VERBS = [
    ("walk", "walking", "walked", ["to the {place}", "along the river", "home"]),
    ("go", "going", "went", ["to the {place}", "home", "to work"]),
    ("run", "running", "ran", ["to the {place}", "in the park", "along the beach"]),
    ("see", "seeing", "saw", ["the {obj}", "a {story} film", "the sea"]),
    ("eat", "eating", "ate", ["{food}", "some {food}", "a big {meal}"]),
    ("drink", "drinking", "drank", ["{drink}", "a glass of {drink}", "some {drink}"]),
    ("swim", "swimming", "swam", ["in the lake", "in the sea", "across the river"]),
    ("fly", "flying", "flew", ["over the mountains", "to the coast", "a kite"]),
    ("write", "writing", "wrote", ["a letter", "a poem", "a long email"]),
    ("sing", "singing", "sang", ["a song", "in the choir", "a lullaby"]),
    ("say", "saying", "said", ["hello", "goodbye", "nothing"]),
    ("think", "thinking", "thought", ["about {topic}", "about the future", "about the {obj}"]),
    ("know", "knowing", "knew", ["the answer", "the way", "the truth"]),
    ("take", "taking", "took", ["the {obj}", "the bus", "a photo"]),
    ("buy", "buying", "bought", ["a {obj}", "some {food}", "new shoes"]),
    ("sell", "selling", "sold", ["the {obj}", "old books", "the house"]),
    ("pay", "paying", "paid", ["the bill", "for the {obj}", "in cash"]),
    ("spend", "spending", "spent", ["the money", "the weekend at home", "{num} hours there"]),
    ("play", "playing", "played", ["football", "the piano", "chess"]),
    ("sleep", "sleeping", "slept", ["well", "for {num} hours", "in the tent"]),
    ("sit", "sitting", "sat", ["on the bench", "by the window", "on the floor"]),
    ("dance", "dancing", "danced", ["all night", "at the party", "in the kitchen"]),
    ("jump", "jumping", "jumped", ["over the fence", "into the water", "up and down"]),
    ("look", "looking", "looked", ["at the {obj}", "out of the window", "at the stars"]),
    ("listen", "listening", "listened", ["to the radio", "to {topic} podcasts", "to the birds"]),
    ("move", "moving", "moved", ["to a new flat", "the furniture", "the {obj}"]),
    ("hide", "hiding", "hid", ["the {obj}", "behind the door", "the presents"]),
    ("feed", "feeding", "fed", ["the ducks", "the animals", "the baby"]),
    ("fall", "falling", "fell", ["asleep", "off the ladder", "down the stairs"]),
    ("read", "reading", "read", ["a book", "the newspaper", "a story"]),
]

SUBJECTS = [("i", "am", "was"), ("you", "are", "were"), ("he", "is", "was"), ("she", "is", "was"),
            ("we", "are", "were"), ("they", "are", "were"), ("my friend", "is", "was"),
            ("the students", "are", "were"), ("our neighbours", "are", "were")]
PLURAL_SUBJECTS = ["we", "they", "i", "you", "my friends", "the students", "our neighbours", "people"]

TENSE_TEMPLATES = {
    "base": [
        "{psubj} usually {v} {comp} .",
        "every day {psubj} {v} {comp} .",
        "{subj} will {v} {comp} tomorrow .",
        "{subj} would like to {v} {comp} .",
        "{subj} can {v} {comp} now .",
        "let us {v} {comp} together .",
        "do you often {v} {comp} ?",
        "{psubj} often {v} {comp} on weekends .",
        "{subj} should {v} {comp} more often .",
        "{subj} must {v} {comp} next week .",
    ],
    "ing": [
        "{subj} {is} {v} {comp} right now .",
        "{subj} {was} {v} {comp} when the phone rang .",
        "{subj} {is} busy {v} {comp} at the moment .",
        "{subj} {is} still {v} {comp} .",
        "{v} {comp} is a good way to relax .",
        "{subj} {was} {v} {comp} all afternoon .",
        "{subj} {is} {v} {comp} today .",
    ],
    "past": [
        "yesterday {subj} {v} {comp} .",
        "last week {subj} {v} {comp} .",
        "{subj} {v} {comp} two days ago .",
        "a long time ago {subj} {v} {comp} .",
        "{subj} already {v} {comp} last night .",
        "last year {subj} {v} {comp} .",
        "{subj} {v} {comp} an hour ago .",
    ],
}


def english_person(rng: Rand, pairs: Weighted) -> str:
    male, female, role = pairs.pick(rng)
    gender = "m" if rng.chance(0.5) else "f"
    bound = dict(PRONOUNS[gender])
    bound["w"] = male if gender == "m" else female
    kin_pool = KIN[gender] if rng.chance(0.8) else KIN["f" if gender == "m" else "m"]
    bound["kin"] = rng.choice(kin_pool)
    specific = ROLE_TEMPLATES[role]
    template = rng.choice(specific) if rng.chance(0.45) else rng.choice(PERSON_TEMPLATES)
    return fill(template, rng, bound, ENGLISH_FILLERS)


def english_country(rng: Rand, countries: Weighted) -> str:
    country, capital, nationality, language, continent, things = countries.pick(rng)
    other = countries.pick(rng)
    while other[0] == country:
        other = countries.pick(rng)
    bound = {"country": country, "capital": capital, "nationality": nationality, "language": language,
             "continent": continent, "country2": other[0], "capital2": other[1],
             }
    bound["thing"] = rng.choice(things)
    bound["thing2"] = rng.choice([t for t in things if t != bound["thing"]])
    kind = rng.random()
    if kind < 0.25:
        template = rng.choice(COUNTRY_TEMPLATES)
    elif kind < 0.5:
        template = rng.choice(CAPITAL_TEMPLATES)
    else:
        template = rng.choice(NATIONAL_TEMPLATES)
        bound["place_of"] = country if rng.chance(0.5) else capital
    return fill(template, rng, bound, ENGLISH_FILLERS)


def english_number(rng: Rand, nouns: Weighted) -> str:
    cls, singular, plural = nouns.pick(rng)
    number = "sg" if rng.chance(0.5) else "pl"
    forms = NUMBER_WORDS[number]
    bound = {"n": singular if number == "sg" else plural, "is": forms["is"], "was": forms["was"],
             "has": forms["has"], "it": forms["it"], "its": forms["its"]}
    bound["pred"] = rng.choice(NOUN_PREDICATES[singular])
    roll = rng.random()
    if roll < 0.25:
        template = rng.choice(NUMBER_ONLY_TEMPLATES[number])
    elif roll < 0.5:
        template = rng.choice(CLASS_TEMPLATES[cls])
    elif roll < 0.8:
        template = rng.choice(PREDICATE_TEMPLATES)
    else:
        template = rng.choice(NUMBER_TEMPLATES)
    fillers = dict(ENGLISH_FILLERS)
    fillers["det"] = lambda r: r.choice(forms["det"])
    return fill(template, rng, bound, fillers)


def english_verb(rng: Rand, verbs: Weighted) -> str:
    base, ing, past, complements = verbs.pick(rng)
    tense = ("base", "ing", "past")[rng.below(3)]
    subject, be_now, be_past = rng.choice(SUBJECTS)
    bound = {"v": {"base": base, "ing": ing, "past": past}[tense], "subj": subject, "is": be_now, "was": be_past,
             "psubj": rng.choice(PLURAL_SUBJECTS), "comp": rng.choice(complements)}
    template = rng.choice(TENSE_TEMPLATES[tense])
    text = fill(template, rng, bound, ENGLISH_FILLERS)
    return fill(text, rng, {}, ENGLISH_FILLERS)  # complements may hold slots of their own


def english_lines(rng: Rand, n: int) -> list[str]:
    pairs = zipf(GENDER_PAIRS, 0.9, 1.5)
    countries = zipf(COUNTRIES, 0.6, 2.0)
    nouns = zipf([(cls, sg, pl) for cls, items in NOUNS.items() for sg, pl in items], 0.7, 2.0)
    # most frequent verbs first, as in real text
    verbs = zipf(VERBS, 0.6, 2.0)
    kinds = Weighted(["person", "country", "number", "verb", "filler"], [0.3, 0.22, 0.16, 0.14, 0.18])
    lines = []
    for _ in range(n):
        kind = kinds.pick(rng)
        if kind == "person":
            line = english_person(rng, pairs)
        elif kind == "country":
            line = english_country(rng, countries)
        elif kind == "number":
            line = english_number(rng, nouns)
        elif kind == "verb":
            line = english_verb(rng, verbs)
        else:
            line = fill(rng.choice(FILLER_TEMPLATES), rng, {}, ENGLISH_FILLERS)
        lines.append(english_sentence(line))
    return lines


def english_text(seed: int = SEED) -> str:
    return sentences_to_text(english_lines(Rand(seed), ENGLISH_SENTENCES))


# --------------------------------------------------------------------------------------------------------------------
# Chinese (written without spaces; the key words are ones jieba 0.42.1 keeps whole)
# --------------------------------------------------------------------------------------------------------------------

ZH_FILLERS: dict[str, Callable[[Rand], str]] = {}
for _name, _text, _s in [
    ("feeling", "累 高兴 忙 开心 紧张 难过 冷 饿 困 生气 骄傲 害羞 满意 激动 失望 轻松 着急 平静 孤单", 0.9),
    ("trait", "年轻 高大 安静 友好 聪明 勇敢 善良 可爱 热情 细心 幽默 严肃 普通 神秘 有名 温柔 诚实 耐心 认真", 0.9),
    ("thingadj", "漂亮 干净 结实 古老 奇怪 精致 普通 新 旧 轻 小巧 舒服 实用 好看", 0.9),
    ("story", "有趣 悲伤 奇怪 神秘 可怕 感人 浪漫 古老", 0.8),
    ("place", "市场 车站 图书馆 公园 花园 厨房 村子 港口 博物馆 森林 商店 酒店 餐厅 海边 医院 办公室 河边 湖边 广场 教堂 "
              "剧院 电影院 面包店 学校 农场 田野 山谷 街角 咖啡馆 机场 沙漠 银行 工厂 体育场 画廊 药店 院子 地下室 果园 "
              "灯塔 小屋 码头", 0.9),
    ("obj", "桌子 钥匙 手机 杯子 椅子 台灯 钟 地图 照片 床 书架 外套 帽子 车票 雨伞 篮子 镜子 铅笔 蜡烛 毯子 钱包 戒指 "
            "夹克 围巾 相机 收音机 笔记本 枕头 水桶 梯子 绳子 水壶 勺子 刀 盘子 碗 毛巾 信封 吉他 钢琴 小提琴 鼓 雕像 "
            "报纸 杂志 背包 行李箱 手套 靴子 袜子 自行车 头盔 指南针 灯笼 罐子 花瓶 地毯 窗帘", 1.0),
    ("food", "面包 米饭 汤 奶酪 鱼 肉 蛋糕 鸡蛋 黄油 沙拉 面条 巧克力 蜂蜜 果酱 饼干 土豆 豆子 坚果 粥 包子", 1.0),
    ("drink", "茶 咖啡 水 牛奶 果汁 葡萄酒 柠檬水 可可", 1.0),
    ("topic", "音乐 历史 政治 科学 足球 艺术 天气 旅行 烹饪 诗歌 园艺 数学 哲学 医学 时尚", 1.0),
    ("time", "早上 晚上 中午 下午 深夜 周末 清晨 傍晚", 0.8),
    ("weekday", "星期一 星期二 星期三 星期四 星期五 星期六 星期天", 0.3),
    ("season", "春天 夏天 秋天 冬天", 0.3),
    ("meal", "早饭 午饭 晚饭", 0.5),
    ("color", "红色 蓝色 绿色 黄色 黑色 白色 棕色 灰色 橙色 紫色", 0.8),
]:
    ZH_FILLERS[_name] = zipf(words(_text), _s).pick

ZH_PRONOUNS = {
    "m": {"he": "他", "his": "他的", "himself": "他自己"},
    "f": {"he": "她", "his": "她的", "himself": "她自己"},
}

ZH_GENDER_PAIRS = [
    ("男人", "女人", "person"),
    ("国王", "女王", "monarch"),
    ("男孩", "女孩", "child"),
    ("父亲", "母亲", "parent"),
    ("儿子", "女儿", "offspring"),
    ("哥哥", "姐姐", "sibling"),
    ("丈夫", "妻子", "spouse"),
    ("王子", "公主", "royal_child"),
    ("爸爸", "妈妈", "parent"),
    ("叔叔", "阿姨", "relative"),
    ("爷爷", "奶奶", "grandparent"),
    ("弟弟", "妹妹", "sibling"),
    ("男演员", "女演员", "stage"),
    ("男生", "女生", "student"),
    ("新郎", "新娘", "wedding"),
    ("孙子", "孙女", "offspring"),
    ("和尚", "尼姑", "religion"),
]

ZH_KIN = {
    "m": words("父亲 儿子 哥哥 弟弟 丈夫 叔叔 爷爷 孙子"),
    "f": words("母亲 女儿 姐姐 妹妹 妻子 阿姨 奶奶 孙女"),
}

ZH_PERSON_TEMPLATES = [
    "那个{w}说{he}今天很{feeling}。",
    "一个{trait}的{w}走进了{place}，{he}坐了下来。",
    "我在{place}附近遇到了那个{w}，{he}对我笑了笑。",
    "{w}拿起{his}{obj}，离开了{place}。",
    "大家都喜欢这个{w}，因为{he}很{trait}。",
    "{w}给{his}朋友讲了一个{story}的故事。",
    "{w}把{his}{obj}忘在了{place}。",
    "{he}是一个{trait}的{w}，住在{place}附近。",
    "{w}在镜子里看着{himself}。",
    "我们问那个{w}，{he}把{obj}放在哪里了。",
    "那个{w}正坐在窗边，{he}忽然听到一个声音。",
    "没有人知道那个{w}为什么把{his}{obj}留在{place}。",
    "那个{w}向我们道谢，然后{he}回家了。",
    "那个{w}和{his}{kin}一起去了{place}。",
    "那个{w}{time}给{his}{kin}打了电话。",
    "{his}{kin}{weekday}来看望那个{w}。",
    "那个{w}累了，我们给{he}倒了一杯{drink}。",
    "那个{w}穿着{his}{color}外套。",
    "那个{w}到了以后，{he}觉得很{feeling}。",
    "那个{w}挥了挥手，{he}笑了起来。",
    "那个{w}问我去{place}怎么走，我就带{he}去了。",
    "那个{w}戴上{his}帽子，出门了。",
    "那个{w}打开{his}{obj}，从里面拿出一个{obj}。",
    "{season}的时候，那个{w}常常一个人去{place}。",
]

ZH_ROLE_TEMPLATES = {
    "person": [
        "隔壁的{w}{time}修好了{his}{obj}。",
        "一个{w}在公交车站等车，{he}看起来很{feeling}。",
        "那个{w}在一家公司上班，{he}每天开车上班。",
        "火车上的{w}在看{his}报纸。",
    ],
    "monarch": [
        "{w}统治这个王国很多年了，{he}深受百姓爱戴。",
        "{w}坐在王座上，{his}大臣们在一旁等候。",
        "{w}在典礼上戴着{his}金色王冠。",
        "人们在王宫前高呼：{w}万岁！",
        "{w}命令{his}军队保卫王国。",
        "{w}在王宫的阳台上向{his}臣民挥手。",
        "{w}的统治持续了很久，整个王国都爱戴{he}。",
        "{w}在王座上发表了讲话。",
        "加冕典礼以后，王冠传给了{w}。",
        "{w}和{his}朝臣住在王宫里。",
        "{w}签署了一道王室法令，大臣们纷纷鞠躬。",
    ],
    "royal_child": [
        "年轻的{w}骑着{his}马在城堡周围转。",
        "{w}将来会继承{his}父母的王位。",
        "{w}在城堡的舞会上跳舞。",
        "年幼的{w}和{his}保姆在城堡花园里散步。",
        "城堡里的人都喜欢年轻的{w}。",
    ],
    "child": [
        "那个{w}放学后在家玩{his}玩具。",
        "那个{w}睡觉前做完了{his}作业。",
        "老师表扬了那个{w}的画。",
        "那个{w}抱着{his}皮球跑过操场。",
        "那个{w}才十岁，可是{he}游泳游得很好。",
    ],
    "parent": [
        "{w}给{his}孩子们做晚饭。",
        "{w}早上送{his}孩子去上学。",
        "{w}给{his}孩子讲睡前故事。",
        "{w}为{his}孩子感到骄傲。",
    ],
    "offspring": [
        "{w}每个周末都去看望{his}父母。",
        "{w}从{his}父母那里继承了一座房子。",
        "{w}长得很像{his}父母。",
        "{w}给{his}父母写了一封信。",
    ],
    "sibling": [
        "{w}和{his}兄弟姐妹住在一个房间。",
        "{w}总是帮助家里更小的孩子。",
        "{w}和{his}兄弟姐妹为了一个{obj}吵架。",
    ],
    "spouse": [
        "{w}和{his}爱人庆祝结婚纪念日。",
        "{w}已经结婚二十年了。",
        "{w}每天都戴着{his}结婚戒指。",
    ],
    "relative": [
        "{w}带着礼物来参加家庭聚会。",
        "我们的{w}住得很远，{he}只有过年才回来。",
        "{w}给{his}亲戚寄了一张明信片。",
    ],
    "stage": [
        "{w}在这部电影里演主角。",
        "{w}在剧院里背{his}台词。",
        "这位有名的{w}因为{his}表演获了奖。",
        "演出结束后，{w}向观众鞠躬。",
    ],
    "grandparent": [
        "{w}给孩子们讲{his}年轻时候的故事。",
        "{w}坐在火炉旁边的扶手椅上。",
        "{w}给{his}孙辈烤了饼干。",
    ],
    "student": [
        "{w}在教室里认真听课。",
        "{w}下课后去图书馆看书。",
        "{w}考试考得很好，{he}非常高兴。",
    ],
    "wedding": [
        "婚礼前{w}很紧张。",
        "{w}在婚礼上走过长长的通道。",
        "婚礼上所有人都为{w}欢呼。",
    ],
    "religion": [
        "{w}每天早上在寺庙里念经。",
        "{w}在山上的寺庙里过着安静的生活。",
    ],
}

# (country, capital, language, continent, things the country is known for)
ZH_COUNTRIES = [
    ("法国", "巴黎", "法语", "欧洲", ("塞纳河", "埃菲尔铁塔", "红酒", "香水")),
    ("德国", "柏林", "德语", "欧洲", ("莱茵河", "香肠", "啤酒", "汽车")),
    ("日本", "东京", "日语", "亚洲", ("寿司", "和服", "樱花", "富士山")),
    ("中国", "北京", "汉语", "亚洲", ("长城", "饺子", "熊猫", "故宫")),
    ("英国", "伦敦", "英语", "欧洲", ("泰晤士河", "红茶", "大本钟", "板球")),
    ("意大利", "罗马", "意大利语", "欧洲", ("斗兽场", "披萨", "歌剧", "咖啡")),
    ("俄罗斯", "莫斯科", "俄语", "欧洲", ("伏尔加河", "红场", "芭蕾", "套娃")),
    ("西班牙", "马德里", "西班牙语", "欧洲", ("弗拉明戈", "海鲜饭", "斗牛", "足球")),
    ("美国", "华盛顿", "英语", "美洲", ("白宫", "汉堡", "篮球", "好莱坞")),
    ("埃及", "开罗", "阿拉伯语", "非洲", ("尼罗河", "金字塔", "法老", "沙漠")),
    ("韩国", "首尔", "韩语", "亚洲", ("泡菜", "烤肉", "人参", "韩剧")),
    ("希腊", "雅典", "希腊语", "欧洲", ("橄榄", "神庙", "神话", "爱琴海")),
    ("加拿大", "渥太华", "英语", "美洲", ("枫叶", "冰球", "驼鹿", "枫糖")),
    ("泰国", "曼谷", "泰语", "亚洲", ("寺庙", "大象", "冬阴功", "芒果")),
    ("印度", "新德里", "印地语", "亚洲", ("咖喱", "泰姬陵", "瑜伽", "恒河")),
    ("越南", "河内", "越南语", "亚洲", ("米粉", "湄公河", "摩托车", "斗笠")),
    ("澳大利亚", "堪培拉", "英语", "大洋洲", ("袋鼠", "考拉", "冲浪", "大堡礁")),
    ("葡萄牙", "里斯本", "葡萄牙语", "欧洲", ("蛋挞", "沙丁鱼", "瓷砖", "航海")),
]

ZH_COUNTRY_TEMPLATES = [
    "{country}位于{continent}。",
    "{country}的政府宣布了一项新的法律。",
    "{country}的经济去年增长很快，来看{thing}的游客特别多。",
    "每年{season}都有很多游客去{country}旅游，看{thing}。",
    "{country}的人口还在增长。",
    "{country}和{country2}签署了贸易协议。",
    "{country}和{country2}之间的边境很长。",
    "{country}的国家队赢了比赛。",
    "{country}的领导人会见了{country2}的代表团。",
    "{country}是一个历史悠久的美丽国家，以{thing}闻名。",
    "我们坐火车穿过了{country}。",
    "{country}的议会通过了新的预算。",
    "{country}向{country2}出口机器和粮食。",
    "{country}的历史可以追溯到几百年前。",
    "{country}的气候在{season}很宜人。",
]
ZH_CAPITAL_TEMPLATES = [
    "{capital}是{country}的首都。",
    "{capital}是{country}的首都，也是一座很美的城市。",
    "{country}的首都是{capital}。",
    "{capital}作为{country}的首都，是一座现代化的城市。",
    "从{capital}出发，可以去{country}的很多地方。",
    "{capital}是{country}的政治中心。",
    "很多{country}的年轻人都想去{capital}工作。",
    "{capital}的街道上挤满了说{language}的行人，到处都是{thing}。",
    "我们坐火车从{capital}到{capital2}，路上一直在聊{thing}。",
    "{capital}的市长宣布要建一座新的{place}。",
    "{capital}的博物馆里有很多关于{thing}的展品。",
    "她坐飞机去{capital}开会，顺便看了{thing}。",
    "{capital}的老城区在{season}很美。",
    "{capital}有一个很繁忙的机场，广播里说的是{language}。",
    "他在{capital}的市中心租了一套小公寓。",
    "今天早上{capital}的交通很糟糕，连{language}电台都在报道。",
    "{capital}的地铁又快又便宜，车厢里贴着{thing}的广告。",
    "{capital}是一座热闹的城市，以{thing}闻名。",
    "{capital}的城市议会修了一座新桥。",
    "我们在{capital}度过了一个周末，还学了几句{language}。",
]
ZH_NATIONAL_TEMPLATES = [
    "{language}在{place_of}很常用。",
    "在{place_of}，大多数人说{language}。",
    "{place_of}以{thing}和{thing2}闻名。",
    "在{place_of}到处都能看到{thing}。",
    "{thing}是{place_of}最有名的东西之一。",
    "很多游客去{place_of}是为了{thing}。",
    "{place_of}的报纸都在报道{thing}。",
    "一位说{language}的作家出生在{place_of}。",
    "我们在{place_of}买了关于{thing}的纪念品。",
    "说到{place_of}，人们就会想到{thing}和{thing2}。",
]

ZH_FILLER_TEMPLATES = [
    "{place}里的{obj}看起来很{thingadj}。",
    "今天天气很好，我们去了{place}。",
    "桌上放着一个{thingadj}的{obj}。",
    "{meal}以后，我们去{place}买了一个{obj}。",
    "{time}，{place}里到处都是人。",
    "请把{obj}放回{place}。",
    "你知道{obj}在哪里吗？",
    "我们聊了很久的{topic}。",
    "{food}的价格又涨了。",
    "我们{time}在{place}喝了一杯{drink}。",
    "{place}晚上很安静。",
    "{topic}是一门很有意思的学问。",
    "我们的{obj}坏了，只好买一个新的。",
    "{season}的{place}特别美。",
    "一阵风吹过了{place}。",
    "{place}旁边新开了一家商店。",
    "我们在{place}门口等公交车。",
    "这个{color}的{obj}就是你要的。",
    "{weekday}{place}关门很早。",
    "{meal}我们吃了{food}，喝了{drink}。",
    "下过雨以后，去{place}的路很难走。",
    "在{place}可以买到{thingadj}的{obj}。",
    "{obj}和{obj}都在{place}里。",
    "我从来不喜欢{topic}，不过这本书写得还不错。",
    "{meal}前我们把{obj}擦干净了。",
    "书架上有一本关于{topic}的书。",
    "{place}的{obj}很{thingadj}，也很便宜。",
]


def chinese_person(rng: Rand, pairs: Weighted) -> str:
    male, female, role = pairs.pick(rng)
    gender = "m" if rng.chance(0.5) else "f"
    bound = dict(ZH_PRONOUNS[gender])
    bound["w"] = male if gender == "m" else female
    kin_pool = ZH_KIN[gender] if rng.chance(0.8) else ZH_KIN["f" if gender == "m" else "m"]
    bound["kin"] = rng.choice(kin_pool)
    template = rng.choice(ZH_ROLE_TEMPLATES[role]) if rng.chance(0.45) else rng.choice(ZH_PERSON_TEMPLATES)
    return fill(template, rng, bound, ZH_FILLERS)


def chinese_country(rng: Rand, countries: Weighted) -> str:
    country, capital, language, continent, things = countries.pick(rng)
    other = countries.pick(rng)
    while other[0] == country:
        other = countries.pick(rng)
    thing = rng.choice(things)
    bound = {"country": country, "capital": capital, "language": language, "continent": continent,
             "country2": other[0], "capital2": other[1], "thing": thing,
             "thing2": rng.choice([t for t in things if t != thing])}
    kind = rng.random()
    if kind < 0.25:
        template = rng.choice(ZH_COUNTRY_TEMPLATES)
    elif kind < 0.5:
        template = rng.choice(ZH_CAPITAL_TEMPLATES)
    else:
        template = rng.choice(ZH_NATIONAL_TEMPLATES)
        bound["place_of"] = country if rng.chance(0.5) else capital
    return fill(template, rng, bound, ZH_FILLERS)


def chinese_lines(rng: Rand, n: int) -> list[str]:
    pairs = zipf(ZH_GENDER_PAIRS, 0.9, 1.5)
    countries = zipf(ZH_COUNTRIES, 0.6, 2.0)
    kinds = Weighted(["person", "country", "filler"], [0.4, 0.38, 0.22])
    lines = []
    for _ in range(n):
        kind = kinds.pick(rng)
        if kind == "person":
            line = chinese_person(rng, pairs)
        elif kind == "country":
            line = chinese_country(rng, countries)
        else:
            line = fill(rng.choice(ZH_FILLER_TEMPLATES), rng, {}, ZH_FILLERS)
        lines.append(zh(line))
    return lines


def chinese_text(seed: int = SEED) -> str:
    return sentences_to_text(chinese_lines(Rand(seed + 1), CHINESE_SENTENCES))


# --------------------------------------------------------------------------------------------------------------------
# Item sessions (Item2Vec)
# --------------------------------------------------------------------------------------------------------------------

# category: (number of items, popularity weight, complementary categories, title maker)
Category = tuple[int, float, tuple[str, ...], Callable[[Rand], str]]

_MODEL_LETTERS = "X S A Z M Q R V".split()
_PRODUCT_LINES = "Classic Essential Pro Eco Plus".split()


def _gadget(brands: str, noun: str, suffixes: str = "Pro Lite Max Mini Plus") -> Callable[[Rand], str]:
    brand_list, suffix_list = words(brands), words(suffixes)

    def make(rng: Rand) -> str:
        model = f"{rng.choice(_MODEL_LETTERS)}{rng.between(1, 20)}"
        suffix = f" {rng.choice(suffix_list)}" if rng.chance(0.4) else ""
        return f"{rng.choice(brand_list)} {model}{suffix} {noun}"

    return make


def _described(brands: str, descriptions: str, noun: str) -> Callable[[Rand], str]:
    brand_list = [b.replace("_", " ") for b in words(brands)]
    description_list = [d.replace("_", " ") for d in words(descriptions)]

    def make(rng: Rand) -> str:
        line = f" {rng.choice(_PRODUCT_LINES)}" if rng.chance(0.5) else ""
        return f"{rng.choice(brand_list)}{line} {rng.choice(description_list)} {noun}"

    return make


def _book(rng: Rand) -> str:
    adjectives = words("Silent Hidden Last Golden Broken Quiet Distant Crimson Forgotten Endless Winter Paper Glass "
                       "Secret Lonely Burning Northern Wild")
    nouns = words("Harbour Garden River Kingdom Letter Orchard Lighthouse Mountain Road Island Clock Library "
                  "Forest City Star Voyage Bridge Door")
    surnames = words("Hale Moreno Okafor Lindqvist Tanaka Weber Rossi Novak Ahmed Byrne Costa Duval Kim Ivanova "
                     "Murphy Haddad")
    initials = "A B C D E F G H J K L M N P R S T".split()
    return f"The {rng.choice(adjectives)} {rng.choice(nouns)} by {rng.choice(initials)}. {rng.choice(surnames)}"


CATEGORIES: dict[str, Category] = {
    "phones": (30, 10, ("phone cases", "chargers", "screen protectors", "headphones"),
               _gadget("Aurora Nimbus Vertex Kite Orbit Lumen", "phone")),
    "phone cases": (40, 6, ("phones", "screen protectors"),
                    _described("Shellguard Armorly Nimbus Flexa Cassa", "slim rugged clear leather silicone "
                               "wallet flip glitter matte", "phone case")),
    "chargers": (20, 5, ("phones", "laptops"), _described("VoltMax Chargio Ampere Kite Fluxo", "20W 30W 45W 65W "
                                                          "100W dual-port wireless travel", "charger")),
    "screen protectors": (15, 3, ("phones", "phone cases"), _described("Shellguard ClearShield Vitra Armorly", "tempered_glass "
                                                                       "privacy anti-glare matte edge-to-edge", "screen protector")),
    "headphones": (20, 5, ("phones",), _gadget("Sonora Echo Pulse Nimbus", "headphones", "Wireless ANC Sport Studio")),
    "laptops": (25, 7, ("laptop bags", "computer mice", "keyboards", "monitors", "chargers"),
                _gadget("Vertex Quanta Helio Orbit Lumen", "laptop", "Air Book Pro Studio")),
    "laptop bags": (20, 3, ("laptops",), _described("Carryon Nomad Urbano Packwell", "13-inch 14-inch 15-inch "
                                                    "16-inch canvas leather rolling", "laptop bag")),
    "computer mice": (15, 3, ("laptops", "keyboards"), _described("Clicko Glide Pointa Quanta", "wireless ergonomic "
                                                                 "gaming silent travel vertical", "mouse")),
    "keyboards": (15, 3, ("laptops", "computer mice", "monitors"),
                  _described("Clicko Typewell Keyra Quanta", "mechanical wireless compact ergonomic backlit", "keyboard")),
    "monitors": (15, 3, ("laptops", "keyboards"), _described("Helio Vistara Panora", "24-inch 27-inch 32-inch "
                                                            "curved 4K ultrawide", "monitor")),
    "coffee": (35, 8, ("coffee filters", "coffee makers", "mugs"),
               _described("Highland Morning_Peak Casa_Lima Old_Harbour Bluebird Rustica", "Colombian Ethiopian "
                          "Brazilian house_blend espresso decaf dark_roast Kenyan", "coffee beans 500 g")),
    "coffee filters": (10, 2, ("coffee", "coffee makers"), _described("Brewmate Filtra Purebrew", "No._2 No._4 "
                                                                      "unbleached bamboo cone paper", "coffee filters")),
    "coffee makers": (15, 2, ("coffee", "coffee filters", "mugs"),
                      _described("Brewmate Casa_Lima Vapora Kettlo", "drip pour-over French_press espresso "
                                 "cold_brew moka", "coffee maker")),
    "mugs": (20, 3, ("coffee", "tea", "coffee makers"), _described("Potterly Claybird Stoneware_Co Kettlo", "blue "
                                                                    "speckled travel enamel glass large white", "mug")),
    "tea": (25, 5, ("mugs", "teapots"), _described("Leafwell Jade_Hill Earl_&_Co Misty_Peak", "green black oolong "
                                                   "jasmine chamomile peppermint earl_grey rooibos", "tea, 50 bags")),
    "teapots": (10, 2, ("tea", "mugs"), _described("Potterly Jade_Hill Kettlo Claybird", "cast_iron glass porcelain "
                                                   "clay", "teapot")),
    "books": (60, 9, ("bookmarks", "reading lamps"), _book),
    "bookmarks": (10, 2, ("books",), _described("Paperleaf Inkwell Folio", "leather brass magnetic tasselled pressed-flower", "bookmark")),
    "reading lamps": (10, 2, ("books",), _described("Lumen Glowa Paperleaf Folio", "clip-on LED adjustable warm-light",
                                                    "reading lamp")),
    "running shoes": (25, 5, ("sports socks", "water bottles"), _described("Stride Fleetfoot Apex Trailo", "road "
                                                                          "trail racing cushioned lightweight", "running shoes")),
    "sports socks": (10, 2, ("running shoes",), _described("Stride Fleetfoot Sockit Apex", "ankle crew compression "
                                                           "merino", "sports socks")),
    "water bottles": (15, 3, ("running shoes",), _described("Hydra Sipwell Apex", "750_ml 1_litre insulated "
                                                            "collapsible steel kids", "water bottle")),
}


def catalogue(rng: Rand) -> list[tuple[str, str, str]]:
    """(id, title, category) for every item; ids are P0001, P0002, ... in category order."""
    items: list[tuple[str, str, str]] = []
    titles: set[str] = set()
    for category, (count, _weight, _complements, make_title) in CATEGORIES.items():
        for _ in range(count):
            title = make_title(rng)
            for _retry in range(200):
                if title not in titles:
                    break
                title = make_title(rng)
            else:
                raise RuntimeError(f"not enough distinct titles for {category!r}")
            titles.add(title)
            items.append((f"P{len(items) + 1:04d}", title, category))
    return items


def session_lines(rng: Rand, items: list[tuple[str, str, str]], n: int) -> list[str]:
    by_category: dict[str, Weighted] = {}
    for category in CATEGORIES:
        ids = [item_id for item_id, _, c in items if c == category]
        by_category[category] = zipf(rng.shuffled(ids), 1.4, 1.0)  # a few bestsellers, a long tail
    categories = Weighted(list(CATEGORIES), [c[1] for c in CATEGORIES.values()])
    everything = Weighted([item_id for item_id, _, _ in items], [1.0] * len(items))
    lines = []
    for _ in range(n):
        anchor = categories.pick(rng)
        complements = CATEGORIES[anchor][2]
        partner = rng.choice(complements)
        length = 2
        while length < 20 and rng.chance(0.8):  # geometric: mean about 6, a few long ones
            length += 1
        session: list[str] = []
        for _ in range(length):
            roll = rng.random()
            if roll < 0.6:
                source = by_category[anchor]
            elif roll < 0.88:
                source = by_category[partner]
            elif roll < 0.95:
                source = by_category[rng.choice(complements)]
            else:
                source = everything  # the odd unrelated click
            item = source.pick(rng)
            for _retry in range(3):  # mostly distinct items, as in a real basket
                if item not in session:
                    break
                item = source.pick(rng)
            session.append(item)
        lines.append(" ".join(session))
    return lines


def items_csv(items: list[tuple[str, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "title", "category"])
    writer.writerows(items)
    return buffer.getvalue()


def session_texts(seed: int = SEED) -> tuple[str, str]:
    """(sessions.txt, items.csv)."""
    rng = Rand(seed + 2)
    items = catalogue(rng)
    return sentences_to_text(session_lines(rng, items, SESSIONS)), items_csv(items)


# --------------------------------------------------------------------------------------------------------------------
# Labelled short documents (Doc2Vec)
# --------------------------------------------------------------------------------------------------------------------

DOCUMENTS = 3_000

#: topic -> (nouns, verbs, adjectives); each document draws mostly from its own topic
TOPICS: dict[str, tuple[str, str, str]] = {
    "sport": ("team match goal striker coach league season referee stadium player captain trophy defence keeper "
              "final penalty fans club tournament medal",
              "scored won lost defended trained celebrated tackled coached missed equalised",
              "late decisive injured unbeaten home away young veteran fierce tactical"),
    "cooking": ("recipe oven sauce garlic onion pasta flour butter dough soup spice pan kitchen chef dessert salad "
                "bread tomato cheese herbs",
                "baked stirred chopped roasted simmered seasoned whisked tasted served fried",
                "crispy fresh spicy creamy golden sweet savoury homemade tender rich"),
    "science": ("experiment molecule cell protein theory telescope planet data laboratory researcher gene "
                "particle energy climate sample hypothesis microscope orbit enzyme atom",
                "measured observed discovered tested published modelled analysed predicted sequenced detected",
                "quantum genetic cosmic chemical statistical molecular solar precise novel experimental"),
    "travel": ("flight hotel beach passport luggage island museum train ticket tour guide harbour village mountain "
               "border airport map cruise temple market",
               "booked visited explored packed hiked landed wandered photographed boarded sailed",
               "scenic crowded remote ancient sunny coastal overnight budget exotic historic"),
    "music": ("album song guitar band concert singer piano melody chorus drummer orchestra lyrics tour stage "
              "rhythm violin record festival choir studio",
              "played sang recorded composed performed rehearsed released toured strummed mixed",
              "acoustic catchy live classical loud harmonic jazzy melodic soulful electric"),
    "finance": ("market bank loan interest investor stock bond budget inflation profit shares fund tax debt "
                "currency salary pension mortgage revenue dividend",
                "invested borrowed saved traded lent paid rose fell audited forecast",
                "quarterly fiscal volatile annual risky steady global monetary corporate modest"),
}
FUNCTION = "the a this that their our every another".split()
LINKS = "with for after before near during about against".split()


def document_line(rng: Rand, topic: str, others: list[str]) -> str:
    """One labelled document: a topic word in every clause, and now and then a word from another topic."""
    parts = []
    for _ in range(rng.between(2, 3)):
        source = topic if not rng.chance(0.12) else rng.choice(others)
        nouns, verbs, adjectives = (zipf(words(column)) for column in TOPICS[source])
        nouns_own = zipf(words(TOPICS[topic][0]))
        parts.append(" ".join([rng.choice(FUNCTION), adjectives.pick(rng), nouns.pick(rng), verbs.pick(rng),
                               rng.choice(FUNCTION), nouns_own.pick(rng), rng.choice(LINKS), rng.choice(FUNCTION),
                               nouns_own.pick(rng)]))
    return f"{topic}\t" + " and ".join(parts)


def documents_text(seed: int = SEED) -> str:
    """documents.txt: label, a tab, then a short document, one a line."""
    rng = Rand(seed + 3)
    topics = list(TOPICS)
    lines = []
    for i in range(DOCUMENTS):
        topic = topics[rng.below(len(topics))]
        lines.append(document_line(rng, topic, [t for t in topics if t != topic]))
    return sentences_to_text(lines)


# --------------------------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def generate(out_dir: Path) -> list[Path]:
    """Write every sample file into ``out_dir``; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        "english.txt": english_text(SEED),
        "chinese.txt": chinese_text(SEED),
    }
    outputs["sessions.txt"], outputs["items.csv"] = session_texts(SEED)
    outputs["documents.txt"] = documents_text(SEED)
    paths = []
    for name, text in outputs.items():
        _write(out_dir / name, text)
        paths.append(out_dir / name)
    return paths


if __name__ == "__main__":
    for written in generate(HERE):
        print(f"{written.relative_to(HERE.parent) if written.is_relative_to(HERE.parent) else written}: "
              f"{written.stat().st_size / 1e6:.2f} MB")
