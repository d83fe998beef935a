"""Forms of the request journey, one module per sub-domain: the SENCO's sections
(``sections``), meetings, decisions and the officer's payments (``officer``). Forms only
validate input; the services decide."""
