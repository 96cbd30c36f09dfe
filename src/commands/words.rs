//! schemac's own word lists for migration names without `--name`: `<adjective>_<noun>`.
//! (drizzle-kit picks `<adjective>_<hero>`; these lists are schemac's, not a copy of its.)

pub const ADJECTIVES: &[&str] = &[
    "amber", "ancient", "arctic", "autumn", "bold", "brave", "breezy", "bright", "calm", "clever",
    "cobalt", "cosmic", "crimson", "crisp", "curious", "dapper", "dusty", "eager", "early",
    "electric", "emerald", "fancy", "fearless", "fluffy", "frosty", "gentle", "giant", "golden",
    "graceful", "happy", "hidden", "humble", "icy", "jolly", "keen", "kind", "lively", "lucky",
    "lunar", "mellow", "mighty", "misty", "modest", "nimble", "noble", "olive", "patient", "plain",
    "polite", "proud", "quick", "quiet", "rapid", "rustic", "scarlet", "shiny", "silent", "silver",
    "sleepy", "smooth", "snowy", "solar", "spicy", "steady", "stormy", "sturdy", "sunny", "swift",
    "tame", "tidy", "tiny", "velvet", "vivid", "warm", "wild", "windy", "wise", "witty", "young",
    "zesty",
];

pub const NOUNS: &[&str] = &[
    "acorn", "anchor", "badger", "basil", "beacon", "beetle", "birch", "bison", "breeze", "canyon",
    "cedar", "comet", "coral", "crane", "creek", "dune", "ember", "falcon", "fern", "fjord", "fox",
    "gecko", "glacier", "harbor", "hazel", "heron", "island", "jaguar", "kettle", "lagoon",
    "lantern", "lark", "lemur", "lichen", "lynx", "maple", "meadow", "meteor", "moose", "nebula",
    "newt", "oasis", "orchid", "otter", "owl", "pebble", "pepper", "pine", "plover", "prairie",
    "quartz", "quokka", "raven", "reef", "ridge", "river", "saffron", "salmon", "sparrow",
    "spruce", "summit", "thistle", "thunder", "tide", "tundra", "valley", "walrus", "willow",
    "wombat", "yak", "zephyr",
];
