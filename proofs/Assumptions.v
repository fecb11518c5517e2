(** What the main theorems rest on. [make] requires each to print "Closed under the global
    context": nothing assumed, no proof left unfinished. *)

From Converge Require Import Rga Commute Convergence InOrder.

Print Assumptions convergence.
Print Assumptions concurrent_ops_commute.
Print Assumptions apply_commutes.
Print Assumptions rga_insert_comm.
Print Assumptions applied_op_changes_nothing.
Print Assumptions deliver_idempotent.
Print Assumptions redelivery_changes_nothing.
Print Assumptions winner_has_greatest_id.
