"""English word lists: who can be an actor, what is a system, and the verbs (as lemmas) the
English rules look for. ``morph_en`` expands each lemma into its inflections."""


def _words(text):
    return frozenset(text.split())


# People, roles, teams and companies: anyone who can be blamed.
PERSON = _words(
    """
    i we he she they you someone somebody nobody anyone anybody everyone everybody whoever
    me us him her them myself ourselves himself herself themselves yourself
    engineer developer dev operator on-call oncall on-caller sre admin administrator
    reviewer author manager responder intern contractor subcontractor person people
    colleague teammate hire newbie junior senior dba ic commander lead staff human user
    guy folk owner maintainer approver member employee worker technician tech
    team squad crew ops devops qa support helpdesk management leadership executive ceo cto
    vendor provider supplier partner integrator consultant isp carrier telco company
    firm bank airline ministry government agency operator-on-duty amateur amateurs
    release-manager architect analyst officer specialist expert professional
    """
)
# "the database team", "the release manager": a role noun after a system word.
ROLE_HEADS = _words(
    "team teams engineer engineers manager managers lead leads owner owners admin admins "
    "operator operators administrator administrators squad crew group department"
)
SYSTEM = _words(
    """
    alert alarm job cron cronjob check probe pipeline deploy deployment rollout release
    canary retry failover service script config configuration limit threshold test suite
    monitor monitoring pager paging autoscaler autoscaling system cache balancer lb pod
    node container cluster database db replica primary standby migration query worker queue
    consumer producer api endpoint request process daemon agent build ci cd runner
    dashboard healthcheck health-check scheduler controller certificate cert dns proxy
    gateway server host hook webhook backup restore snapshot disk volume network link
    connection client library sdk upgrade patch change commit pr flag toggle code tool
    tooling terraform kubernetes k8s redis postgres postgresql mysql kafka nginx envoy istio
    vault consul elasticsearch app application runbook playbook lock mutex timeout handler
    router firewall vpn cdn bucket index validation validator linter hpa helm chart image
    binary mechanism safeguard guardrail logic policy rule function lambda instance vm
    region zone traffic load version feature page orchestrator planner parser schema
    console cli ui interface form prompt dialog checklist procedure process document doc
    template calendar schedule rotation escalation report metric graph panel log logs
    tracker ticket bot automation update firmware driver kernel switch cable pdu rack
    power fibre fiber link storage stack platform pool leader lease quorum plan model
    review diff merge push rotation sampler collector exporter watchdog fence fencing
    header body payload message notification email channel mailbox window freeze
    """
)
SKIP = _words(
    """
    just simply also then again accidentally mistakenly inadvertently initially apparently
    unfortunately clearly obviously completely totally still never ever really probably
    likely already actually quickly repeatedly had has have did does do was were is are
    been not somehow later finally eventually all both even only easily simply
    """
)
DETERMINERS = _words(
    "the a an this that these those our their its his her my your every each some any one"
)
NEGATIONS = _words("no not never nobody none neither nor nothing nowhere nobody's noone")
# A clause ends at these words (and at punctuation).
CLAUSE_BREAKS = _words(
    "and but because so when while after before since although though until if which who "
    "whose whom that then once as whereas unless or"
)
# Words that open an explanation: an omission that is explained is a finding about the
# system ("did not test on production data: staging has none").
EXPLANATIONS = _words("because since as so")

# --- verbs, as lemmas ------------------------------------------------------------------
# A failure in the verb itself: blaming with a person as the actor, unless denied.
FAILURE_VERBS = _words(
    """
    forget neglect ignore overlook skip botch mistype misread misconfigure misjudge
    mislabel misname misroute bypass circumvent override silence dismiss rubber-stamp
    hardcode hard-code sidestep disregard flout violate mishandle
    """
)
# "mess up", "screw up", "drop the ball", "let it expire": multi-word failures.
FAILURE_PHRASES = (
    "mess up",
    "screw up",
    "drop the ball",
    "let the",
    "let it",
    "leave debug",
    "go back to sleep",
    "go back to bed",
    "sign off without",
    "close the ticket without",
)
# What a person is expected to do: blaming when a person did not do it.
DUTY_VERBS = _words(
    """
    check test verify follow read review validate escalate respond reply answer notify tell
    communicate announce renew update apply investigate wait ask look notice acknowledge
    honour honor meet keep back document write report inform warn monitor watch double-check
    consult confirm coordinate rehearse practise practice drain inspect heed alert page
    """
)
# Objects that make "missed"/"broke" a failure rather than a date or a window.
MISSED_OBJECTS = _words(
    "alert alerts alarm alarms page pages warning warnings sign signs signal signals bug "
    "bugs error errors issue issues step steps call calls message messages notice problem "
    "risk risks email emails ticket tickets regression"
)
BROKE_OBJECTS = _words(
    "prod production the build main master staging the site site everything checkout "
    "things the deploy the release login payments it"
)
# Participles that describe what a person does: "should not have been removed" hides an
# actor even when a thing is the grammatical subject.
HUMAN_PARTICIPLES = _words(
    """
    removed deleted dropped merged committed deployed flipped run ran pushed caught
    avoided prevented noticed spotted checked tested reviewed announced rebooted restarted
    approved escalated done fixed communicated detected found disabled enabled changed
    touched shipped released migrated applied configured left turned rolled
    """
)
HINDSIGHT_ADJECTIVES = _words("obvious clear apparent evident predictable foreseeable")
MORE_CAREFUL = _words(
    "careful disciplined diligent vigilant thorough attentive rigorous cautious responsible"
)
