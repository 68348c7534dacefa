"""Which hosts a page talks to: registrable domains, third parties, known trackers.

Three pure tools, used by the weight measures and importable by the runner:

- :func:`registrable_domain` and :func:`is_third_party`: a *public-suffix-lite*. The real Public
  Suffix List (publicsuffix.org) has ~10,000 rules and would be a dependency; here a host's
  registrable domain is its last two labels, or its last three when the last two are a known
  multi-label public suffix (``gouv.fr``, ``co.uk``...) or a shared-hosting suffix whose
  sub-domains belong to different owners (``github.io``...). IP addresses and ``localhost``
  are their own domain. The list below covers the suffixes a French or European civic
  platform meets; a host under a suffix missing here is grouped one label too wide, which can
  only hide a third party of the *same* suffix (for example two ``*.pref.fr`` sites are not
  confused, but two ``*.ville.xx`` under an unknown ``ville.xx`` suffix would be).
- :data:`KNOWN_HOSTS` and :func:`classify_host`: a small curated list of tracker, analytics and
  other third-party hosts with a category.
- :func:`beacon_reason`: a heuristic that flags tracking beacons the list does not know,
  typically a self-hosted Matomo (``stats.example.fr/matomo.php``).

Sources of the list (compiled 2026-11-26, :data:`KNOWN_HOSTS_DATE`): each vendor's own
documentation of its tag and collection endpoints (the host names a site owner puts in its
Content-Security-Policy), cross-checked by host name against the entity list of
patrickhulce/third-party-web ``data/entities.js`` (MIT; categories ``ad``, ``analytics``,
``social``, ``video``, ``cdn``, ``tag-manager``...) and against public consent-audit notes. No
list was copied: entries are ours, chosen for what civic participation platforms embed
(audience measurement, social widgets, video, fonts, CAPTCHA, consent banners, maps).

What "tracker" means here: a host whose purpose is to collect data about visitors (audience
measurement, advertising, social plug-ins, session replay), whether or not a given configuration
is exempt from consent under CNIL rules. A video embed counts when its default player sets
identifying cookies (youtube.com does; youtube-nocookie.com is the privacy-enhanced mode). Fonts,
CDNs, maps, CAPTCHAs and consent managers are third parties with a category, not trackers.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

Category = Literal[
    "analytics", "tag-manager", "advertising", "social", "session-replay", "video", "fonts",
    "cdn", "captcha", "consent", "maps", "monitoring", "chat",
]

#: The date the curated list below was last reviewed.
KNOWN_HOSTS_DATE = "2026-11-26"


@dataclass(frozen=True)
class KnownHost:
    """One entry of the curated list: the domain matches itself and all its sub-domains."""

    domain: str
    vendor: str
    category: Category
    tracker: bool


def _k(domain: str, vendor: str, category: Category, tracker: bool) -> KnownHost:
    return KnownHost(domain, vendor, category, tracker)


#: Curated list (see the module docstring for sources and the meaning of ``tracker``). The most
#: specific entry wins (``fonts.gstatic.com`` before any broader Google entry).
KNOWN_HOSTS: tuple[KnownHost, ...] = (
    # Google audience measurement, tags and advertising.
    _k("google-analytics.com", "Google Analytics", "analytics", True),
    _k("analytics.google.com", "Google Analytics", "analytics", True),
    _k("googletagmanager.com", "Google Tag Manager", "tag-manager", True),
    _k("doubleclick.net", "Google DoubleClick", "advertising", True),
    _k("googlesyndication.com", "Google AdSense", "advertising", True),
    _k("googleadservices.com", "Google Ads", "advertising", True),
    _k("googletagservices.com", "Google Ad Manager", "advertising", True),
    # Audience measurement common on French public and civic sites.
    _k("matomo.cloud", "Matomo Cloud", "analytics", True),
    _k("innocraft.cloud", "Matomo Cloud (InnoCraft)", "analytics", True),
    _k("xiti.com", "AT Internet / Xiti", "analytics", True),
    _k("ati-host.net", "AT Internet", "analytics", True),
    _k("aticdn.net", "AT Internet / Piano Analytics tag", "analytics", True),
    _k("pa-cd.com", "Piano Analytics collection", "analytics", True),
    _k("estat.com", "Médiamétrie eStat", "analytics", True),
    _k("eulerian.net", "Eulerian", "analytics", True),
    _k("tagcommander.com", "Commanders Act", "tag-manager", True),
    _k("abtasty.com", "AB Tasty", "analytics", True),
    _k("contentsquare.net", "Contentsquare", "session-replay", True),
    _k("smartadserver.com", "Equativ (Smart AdServer)", "advertising", True),
    # Other analytics and session replay.
    _k("hotjar.com", "Hotjar", "session-replay", True),
    _k("hotjar.io", "Hotjar", "session-replay", True),
    _k("clarity.ms", "Microsoft Clarity", "session-replay", True),
    _k("bat.bing.com", "Microsoft Advertising UET", "advertising", True),
    _k("cloudflareinsights.com", "Cloudflare Web Analytics", "analytics", True),
    _k("mc.yandex.ru", "Yandex Metrica", "analytics", True),
    _k("mc.yandex.com", "Yandex Metrica", "analytics", True),
    _k("plausible.io", "Plausible Analytics", "analytics", True),
    _k("usefathom.com", "Fathom Analytics", "analytics", True),
    _k("segment.com", "Segment", "analytics", True),
    _k("segment.io", "Segment", "analytics", True),
    _k("mixpanel.com", "Mixpanel", "analytics", True),
    _k("amplitude.com", "Amplitude", "analytics", True),
    _k("heapanalytics.com", "Heap", "analytics", True),
    _k("fullstory.com", "FullStory", "session-replay", True),
    _k("mouseflow.com", "Mouseflow", "session-replay", True),
    _k("crazyegg.com", "Crazy Egg", "session-replay", True),
    _k("omtrdc.net", "Adobe Analytics", "analytics", True),
    _k("demdex.net", "Adobe Audience Manager", "advertising", True),
    _k("scorecardresearch.com", "Comscore", "analytics", True),
    _k("quantserve.com", "Quantcast", "advertising", True),
    _k("criteo.com", "Criteo", "advertising", True),
    _k("criteo.net", "Criteo", "advertising", True),
    _k("taboola.com", "Taboola", "advertising", True),
    _k("outbrain.com", "Outbrain", "advertising", True),
    # Social networks: pixels, SDKs and share widgets.
    _k("facebook.com", "Meta / Facebook", "social", True),
    _k("facebook.net", "Meta Pixel / Facebook SDK", "social", True),
    _k("fbcdn.net", "Meta / Facebook CDN", "social", True),
    _k("instagram.com", "Meta / Instagram", "social", True),
    _k("twitter.com", "X / Twitter", "social", True),
    _k("x.com", "X / Twitter", "social", True),
    _k("twimg.com", "X / Twitter", "social", True),
    _k("ads-twitter.com", "X / Twitter Ads pixel", "advertising", True),
    _k("t.co", "X / Twitter", "social", True),
    _k("licdn.com", "LinkedIn Insight tag", "advertising", True),
    _k("linkedin.com", "LinkedIn", "social", True),
    _k("tiktok.com", "TikTok", "social", True),
    _k("pinterest.com", "Pinterest", "social", True),
    _k("addthis.com", "AddThis", "social", True),
    _k("sharethis.com", "ShareThis", "social", True),
    _k("addtoany.com", "AddToAny", "social", True),
    _k("disqus.com", "Disqus", "social", True),
    # Video embeds.
    _k("youtube.com", "YouTube", "video", True),
    _k("youtube-nocookie.com", "YouTube (privacy-enhanced mode)", "video", False),
    _k("ytimg.com", "YouTube images", "video", False),
    _k("googlevideo.com", "YouTube video delivery", "video", False),
    _k("vimeo.com", "Vimeo", "video", True),
    _k("vimeocdn.com", "Vimeo CDN", "video", False),
    _k("dailymotion.com", "Dailymotion", "video", True),
    _k("dmcdn.net", "Dailymotion CDN", "video", False),
    # Fonts.
    _k("fonts.googleapis.com", "Google Fonts", "fonts", False),
    _k("fonts.gstatic.com", "Google Fonts", "fonts", False),
    _k("typekit.net", "Adobe Fonts", "fonts", False),
    _k("typekit.com", "Adobe Fonts", "fonts", False),
    _k("fonts.bunny.net", "Bunny Fonts", "fonts", False),
    _k("fontawesome.com", "Font Awesome", "fonts", False),
    _k("fonts.net", "Monotype Fonts.com", "fonts", False),
    # Public CDNs of libraries.
    _k("cdnjs.cloudflare.com", "cdnjs", "cdn", False),
    _k("jsdelivr.net", "jsDelivr", "cdn", False),
    _k("unpkg.com", "unpkg", "cdn", False),
    _k("ajax.googleapis.com", "Google Hosted Libraries", "cdn", False),
    _k("code.jquery.com", "jQuery CDN", "cdn", False),
    _k("bootstrapcdn.com", "BootstrapCDN", "cdn", False),
    # CAPTCHAs (a barrier in their own right, metrics.md §2.4).
    _k("recaptcha.net", "Google reCAPTCHA", "captcha", False),
    _k("hcaptcha.com", "hCaptcha", "captcha", False),
    _k("challenges.cloudflare.com", "Cloudflare Turnstile", "captcha", False),
    _k("friendlycaptcha.com", "Friendly Captcha", "captcha", False),
    # Consent managers.
    _k("axept.io", "Axeptio", "consent", False),
    _k("cookielaw.org", "OneTrust", "consent", False),
    _k("onetrust.com", "OneTrust", "consent", False),
    _k("cookiebot.com", "Cookiebot", "consent", False),
    _k("privacy-center.org", "Didomi", "consent", False),
    _k("tarteaucitron.io", "tarteaucitron", "consent", False),
    # Maps.
    _k("tile.openstreetmap.org", "OpenStreetMap tiles", "maps", False),
    _k("maps.googleapis.com", "Google Maps", "maps", False),
    _k("maps.gstatic.com", "Google Maps", "maps", False),
    _k("api.mapbox.com", "Mapbox", "maps", False),
    # Error monitoring and chat.
    _k("sentry.io", "Sentry", "monitoring", False),
    _k("sentry-cdn.com", "Sentry", "monitoring", False),
    _k("nr-data.net", "New Relic", "monitoring", False),
    _k("crisp.chat", "Crisp", "chat", False),
    _k("intercom.io", "Intercom", "chat", False),
    _k("intercomcdn.com", "Intercom", "chat", False),
)

_KNOWN_BY_DOMAIN: dict[str, KnownHost] = {entry.domain: entry for entry in KNOWN_HOSTS}

#: A host whose first label is one of these is an analytics collector, whoever runs it
#: (``stats.data.gouv.fr``, ``matomo.ville.fr``). "pisteur" is French for tracker.
BEACON_HOST_LABELS: frozenset[str] = frozenset({
    "stats", "analytics", "pisteur", "tracker", "tracking", "collect", "matomo", "piwik",
    "metrics",
})

#: A non-document request whose last path segment has one of these stems is a tracking beacon
#: (``/collect``, ``/g/collect``, ``/track``, ``/pixel.gif``, ``/beacon``, ``/matomo.php``).
BEACON_PATH_STEMS: frozenset[str] = frozenset({
    "collect", "track", "pixel", "beacon", "matomo", "piwik",
})


@dataclass(frozen=True)
class HostClassification:
    """What we know of a host (or of one request to it)."""

    vendor: str
    category: Category
    is_tracker: bool
    reason: str


# --------------------------------------------------------------------------- hosts and domains

#: Multi-label public suffixes (public-suffix-lite). ICANN section: the second-level suffixes
#: of the countries a French-speaking audit meets most, plus a few common elsewhere. Private
#: section: shared hosts where each sub-domain is a different site.
MULTI_LABEL_SUFFIXES: frozenset[str] = frozenset({
    # France (publicsuffix.org: .fr second-level registrations)
    "gouv.fr", "com.fr", "asso.fr", "nom.fr", "prd.fr", "tm.fr",
    # United Kingdom
    "co.uk", "org.uk", "gov.uk", "ac.uk", "nhs.uk", "police.uk", "me.uk", "ltd.uk", "plc.uk",
    "net.uk", "sch.uk",
    # Canada (federal government and the provinces where French is used)
    "gc.ca", "qc.ca", "nb.ca", "on.ca",
    # Others
    "com.au", "net.au", "org.au", "gov.au", "edu.au", "co.nz", "govt.nz", "org.nz",
    "co.jp", "ne.jp", "or.jp", "go.jp", "ac.jp", "com.br", "gov.br", "org.br", "co.za",
    "gov.za", "co.in", "gov.in", "com.mx", "gob.mx", "com.ar", "gob.ar", "com.es", "gob.es",
    "org.es", "gv.at", "co.at", "or.at", "com.pl", "gov.pl", "com.tr", "gov.tr", "com.cn",
    "gov.cn",
    # Private suffixes: shared hosting, one owner per sub-domain
    "github.io", "gitlab.io", "netlify.app", "vercel.app", "pages.dev", "web.app",
    "firebaseapp.com", "herokuapp.com", "azurewebsites.net", "cloudfront.net", "appspot.com",
    "blogspot.com", "onrender.com", "fly.dev", "osc-fr1.scalingo.io", "osc-secnum-fr1.scalingo.io",
    "clever-cloud.com", "cleverapps.io",
})
_MAX_SUFFIX_LABELS = max(s.count(".") + 1 for s in MULTI_LABEL_SUFFIXES)


def normalise_host(host: str) -> str:
    """Lower-case, without port, brackets or trailing dot: ``[::1]:8080`` -> ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):  # bracketed IPv6, maybe with a port
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:  # name or IPv4 with a port; bare IPv6 has several colons
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def registrable_domain(host: str) -> str:
    """The "site" a host belongs to (eTLD+1), with the public-suffix-lite above.

    ``www.service-public.gouv.fr`` -> ``service-public.gouv.fr``; ``cdn.example.com`` ->
    ``example.com``; ``127.0.0.1`` and ``localhost`` stay as they are; ``""`` stays ``""``.
    """
    host = normalise_host(host)
    if not host or host == "localhost" or _is_ip(host):
        return host
    labels = host.split(".")
    for size in range(min(_MAX_SUFFIX_LABELS, len(labels)), 1, -1):
        if ".".join(labels[-size:]) in MULTI_LABEL_SUFFIXES:
            return ".".join(labels[-(size + 1):]) if len(labels) > size else host
    return ".".join(labels[-2:])


def is_third_party(url_host: str, site_host: str) -> bool:
    """True when a request's host belongs to another registrable domain than the site's.

    A request with no host (``data:``, ``blob:``) is not a third party.
    """
    if not normalise_host(url_host):
        return False
    return registrable_domain(url_host) != registrable_domain(site_host)


def host_of(url: str) -> str:
    """The normalised host of a URL, or ``""`` for ``data:``, ``blob:`` and the like."""
    try:
        return normalise_host(urlsplit(url).hostname or "")
    except ValueError:
        return ""


# --------------------------------------------------------------------------- classification


def lookup_known_host(host: str) -> KnownHost | None:
    """The most specific list entry matching the host or one of its parent domains."""
    labels = normalise_host(host).split(".")
    for start in range(len(labels)):
        entry = _KNOWN_BY_DOMAIN.get(".".join(labels[start:]))
        if entry is not None:
            return entry
    return None


def classify_host(host: str) -> HostClassification | None:
    """Vendor, category and tracker flag of a host, from the list or the first-label rule."""
    entry = lookup_known_host(host)
    if entry is not None:
        return HostClassification(
            vendor=entry.vendor,
            category=entry.category,
            is_tracker=entry.tracker,
            reason=f"known host {entry.domain} ({entry.vendor}, list of {KNOWN_HOSTS_DATE})",
        )
    labels = normalise_host(host).split(".")
    if len(labels) >= 2 and labels[0] in BEACON_HOST_LABELS and not _is_ip(".".join(labels)):
        return HostClassification(
            vendor="unknown (heuristic)",
            category="analytics",
            is_tracker=True,
            reason=f"host's first label '{labels[0]}' names an analytics collector",
        )
    return None


def beacon_reason(url: str, resource_type: str) -> str:
    """Why a request looks like a tracking beacon by its path, or ``""``.

    Documents are never beacons: a page the user navigates to at ``/track`` is a page. The
    stem is the last path segment up to its first dot, so ``/pixel.gif`` and ``/matomo.php``
    match but ``/collections`` does not.
    """
    if resource_type.lower() == "document":
        return ""
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    last = path.rstrip("/").rsplit("/", 1)[-1].lower()
    stem = last.split(".", 1)[0]
    if stem in BEACON_PATH_STEMS:
        return f"path segment '{last}' is a tracking-beacon endpoint"
    return ""


def classify_request(host: str, url: str, resource_type: str) -> HostClassification | None:
    """Classification of one request: its host's, or a beacon found by its path."""
    by_host = classify_host(host) if host else None
    if by_host is not None and by_host.is_tracker:
        return by_host
    reason = beacon_reason(url, resource_type)
    if reason:
        return HostClassification(
            vendor=by_host.vendor if by_host else "unknown (heuristic)",
            category=by_host.category if by_host else "analytics",
            is_tracker=True,
            reason=reason,
        )
    return by_host
