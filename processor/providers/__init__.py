"""The provider register and the provider filter (issue 15).

Public API::

    load_register(option=None, policy=None) -> LoadedRegister      # --register, policy, or the sample
    read_register(path) -> Register; parse_register(text, source) -> Register   # RegisterError if bad
    sample_register() -> Register                                   # bundled, fictional, sample=True
    select_providers(register, lots, districts, framework=None, named=None) -> tuple[Provider, ...]
    why_not(provider, lots, districts, framework) -> str | None    # the reason a provider is left out
    postcode_district(address) -> str | None                       # "…\\nLE11 3TU" -> "LE11"
    Lot.SHORT_BREAKS ("short-breaks"), Lot.DOMICILIARY_CARE ("domiciliary-care")
    COUNTY_DISTRICTS                                                # Leicestershire's districts
"""

from brokerage.processor.providers.districts import COUNTY_DISTRICTS, normalise_district, postcode_district
from brokerage.processor.providers.locate import LoadedRegister, load_register, register_path, sample_register
from brokerage.processor.providers.register import (
    Lot,
    Provider,
    Register,
    RegisterError,
    RegisterProblem,
    parse_register,
    read_register,
)
from brokerage.processor.providers.select import select_providers, why_not

__all__ = [
    "COUNTY_DISTRICTS",
    "LoadedRegister",
    "Lot",
    "Provider",
    "Register",
    "RegisterError",
    "RegisterProblem",
    "load_register",
    "normalise_district",
    "parse_register",
    "postcode_district",
    "read_register",
    "register_path",
    "sample_register",
    "select_providers",
    "why_not",
]
