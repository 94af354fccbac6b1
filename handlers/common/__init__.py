"""What several features share: the strike path (``strikes``), the admin guard and audit row (``admin``),
members as users and labels (``members``), the one resolver from a reply / ``@handle`` to a member
(``target``), and the texts of those paths (``texts``)."""
