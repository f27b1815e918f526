"""{% strategy_fragment %}: a part of a page rendered once per data version of its strategy.

    {% load page_cache %}
    {% strategy_fragment strategy "dashboard" status.period.pk %}…{% endstrategy_fragment %}

renders what it encloses the first time and then reads the HTML from the pages' cache
(goals.core.caching.strategy_cached) until something the strategy's pages show is written. What it
encloses must be the same for every reader: no user, role, CSRF token or request in it, and no
variable set inside it that the rest of the page reads."""

from django import template

from goals.core.caching import strategy_cached

register = template.Library()


class StrategyFragmentNode(template.Node):
    def __init__(self, nodelist, strategy, name, parts):
        self.nodelist, self.strategy, self.name, self.parts = nodelist, strategy, name, parts

    def render(self, context):
        strategy = self.strategy.resolve(context)
        parts = [part.resolve(context) for part in self.parts]
        name = f"fragment:{self.name.resolve(context)}"
        return strategy_cached(strategy, name, *parts, compute=lambda: self.nodelist.render(context))


@register.tag
def strategy_fragment(parser, token):
    """{% strategy_fragment strategy name part… %}: `name` and the parts (the quarter…) key it."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a strategy and a name")
    nodelist = parser.parse(("endstrategy_fragment",))
    parser.delete_first_token()
    strategy, name, *parts = (parser.compile_filter(bit) for bit in bits[1:])
    return StrategyFragmentNode(nodelist, strategy, name, parts)
