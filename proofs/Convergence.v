(** * Convergence

    Strong eventual consistency of the model: two replicas that were delivered the same set of ops,
    each in a causally valid order and possibly with duplicates, are in the same state.

    The proof follows the structure of Gomes, Kleppmann, Mulligan and Beresford, "Verifying strong
    eventual consistency in distributed systems" (2017): ops that are concurrent commute
    ([Commute.apply_commutes]), and any two causally valid orders of one set of ops are connected by
    swaps of concurrent neighbours. *)

From Coq Require Import List Bool Permutation.
From Converge Require Import OpId Model Lists Commute.
Import ListNotations.

(** ** Causality *)

(** [hb] is the happened-before relation on ops (in Converge, from the change graph: an op
    happened before every op of the changes that depend on its change, and before the later ops of
    its own change). The theorems assume only that an op names nothing that did not happen before
    it ([refs_in_past]); they hold for every such relation. *)
Definition refs_in_past (hb : op -> op -> Prop) (U : list op) : Prop :=
  forall a b, In a U -> In b U -> In (op_id a) (refs b) -> hb a b.

(** Op IDs are unique: an actor never reuses a counter. *)
Definition unique_ids (U : list op) : Prop :=
  forall a b, In a U -> In b U -> op_id a = op_id b -> a = b.

(** A replica is delivered an op only after every op that happened before it; it may be delivered
    an op again at any later time. In Converge, the change queue holds back a change until its
    dependencies are applied. *)
Definition causal_delivery (hb : op -> op -> Prop) (xs : list op) : Prop :=
  forall pre x post, xs = pre ++ x :: post -> forall y, hb y x -> In y pre.

Definition concurrent (hb : op -> op -> Prop) (a b : op) : Prop := a <> b /\ ~ hb a b /\ ~ hb b a.

(** No op happened before an op earlier in the list. *)
Inductive hb_consistent (hb : op -> op -> Prop) : list op -> Prop :=
  | hbc_nil : hb_consistent hb []
  | hbc_cons : forall x xs,
      (forall y, In y xs -> ~ hb y x) -> hb_consistent hb xs -> hb_consistent hb (x :: xs).

Lemma hbc_remove :
  forall hb l1 x l2, hb_consistent hb (l1 ++ x :: l2) -> hb_consistent hb (l1 ++ l2).
Proof.
  intros hb l1 x l2; induction l1 as [| y ys IH]; simpl; intro H; inversion H; subst; [assumption |].
  constructor; [| apply IH; assumption].
  intros z Z; apply H2; apply in_app_or in Z; apply in_or_app; simpl; tauto.
Qed.

Lemma hbc_later :
  forall hb l1 l2 z x, hb_consistent hb (l1 ++ l2) -> In z l1 -> In x l2 -> ~ hb x z.
Proof.
  intros hb l1 l2 z x; induction l1 as [| y ys IH]; simpl; intros H Z X; [contradiction |].
  inversion H; subst; destruct Z as [<- | Z].
  - apply H2, in_or_app; right; exact X.
  - apply IH; assumption.
Qed.

(** ** Concurrent ops commute *)

Theorem concurrent_ops_commute :
  forall hb U a b s,
    In a U -> In b U -> unique_ids U -> refs_in_past hb U -> concurrent hb a b ->
    obind (apply_op s a) (fun s' => apply_op s' b) = obind (apply_op s b) (fun s' => apply_op s' a).
Proof.
  intros hb U a b s Ha Hb Hu Hr (Hne & Hab & Hba); apply apply_commutes.
  split; [| split].
  - intro E; apply Hne, Hu; assumption.
  - intro R; apply Hab, Hr; assumption.
  - intro R; apply Hba, Hr; assumption.
Qed.

(** ** Any two causal orders of one set of ops give one state *)

Lemma obind_assoc :
  forall {A B C} (m : option A) (f : A -> option B) (g : B -> option C),
    obind (obind m f) g = obind m (fun x => obind (f x) g).
Proof. intros A B C [x |] f g; reflexivity. Qed.

(** An op independent of every op before it can be applied first instead. *)
Lemma move_front :
  forall l1 x l2 s,
    (forall z, In z l1 -> independent z x) ->
    apply_all s (l1 ++ x :: l2) = apply_all s (x :: l1 ++ l2).
Proof.
  induction l1 as [| z zs IH]; intros x l2 s H; [reflexivity |].
  simpl app; simpl apply_all.
  assert (C : obind (apply_op s z) (fun s' => apply_op s' x) =
              obind (apply_op s x) (fun s' => apply_op s' z))
    by (apply apply_commutes, H; left; reflexivity).
  rewrite <- (obind_assoc (apply_op s x) (fun s' => apply_op s' z)), <- C, obind_assoc.
  destruct (apply_op s z) as [s1 |]; simpl; [| reflexivity].
  rewrite IH by (intros w W; apply H; right; exact W); reflexivity.
Qed.

Theorem apply_all_perm :
  forall hb xs ys s,
    Permutation xs ys -> NoDup ys -> hb_consistent hb xs -> hb_consistent hb ys ->
    unique_ids ys -> refs_in_past hb ys ->
    apply_all s xs = apply_all s ys.
Proof.
  intros hb xs; induction xs as [| x rest IH]; intros ys s P N Hx Hy Hu Hr.
  - apply Permutation_nil in P; subst; reflexivity.
  - assert (In x ys) as Xin by (apply (Permutation_in x P); left; reflexivity).
    destruct (in_split x ys Xin) as (l1 & l2 & ->).
    assert (Pr : Permutation rest (l1 ++ l2)) by (apply Permutation_cons_app_inv with (a := x); exact P).
    inversion Hx as [| ? ? Hhead Hrest]; subst.
    assert (Ind : forall z, In z l1 -> independent z x).
    { intros z Z.
      assert (Zin : In z (l1 ++ x :: l2)) by (apply in_or_app; left; exact Z).
      assert (Xin' : In x (l1 ++ x :: l2)) by exact Xin.
      assert (Hzx : z <> x).
      { intros ->; apply (NoDup_remove_2 _ _ _ N), in_or_app; left; exact Z. }
      assert (Zrest : In z rest).
      { apply (Permutation_in z (Permutation_sym P)) in Zin; destruct Zin as [E | E];
          [congruence | exact E]. }
      split; [| split].
      - intro E; apply Hzx, Hu; assumption.
      - intro R; apply (Hhead z Zrest), Hr; assumption.
      - intro R; apply (hbc_later hb l1 (x :: l2) z x Hy Z (or_introl eq_refl)), Hr; assumption. }
    rewrite move_front by exact Ind; simpl.
    destruct (apply_op s x) as [s1 |]; simpl; [| reflexivity].
    apply IH; try assumption.
    + exact (NoDup_remove_1 _ _ _ N).
    + exact (hbc_remove hb l1 x l2 Hy).
    + intros a b A B; apply Hu; apply in_or_app; apply in_app_or in A, B; simpl; tauto.
    + intros a b A B; apply Hr; apply in_or_app; apply in_app_or in A, B; simpl; tauto.
Qed.

(** ** Delivery with duplicates *)

(** The ops a replica actually applies: each op the first time it comes. *)
Fixpoint undup (seen : list opid) (xs : list op) : list op :=
  match xs with
  | [] => []
  | x :: rest =>
      if mem (op_id x) seen then undup seen rest
      else x :: undup (set_add (op_id x) seen) rest
  end.

Fixpoint add_ids (seen : list opid) (xs : list op) : list opid :=
  match xs with
  | [] => seen
  | x :: rest => add_ids (set_add (op_id x) seen) rest
  end.

Lemma deliver_all_undup :
  forall xs seen s,
    deliver_all (MkReplica seen s) xs =
    option_map (MkReplica (add_ids seen (undup seen xs))) (apply_all s (undup seen xs)).
Proof.
  induction xs as [| x rest IH]; intros seen s; [reflexivity |].
  simpl; unfold deliver; simpl.
  destruct (mem (op_id x) seen); simpl; [apply IH |].
  destruct (apply_op s x) as [s1 |]; simpl; [apply IH | reflexivity].
Qed.

Lemma undup_not_seen : forall xs seen y, In y (undup seen xs) -> mem (op_id y) seen = false.
Proof.
  induction xs as [| x rest IH]; intros seen y H; simpl in H; [contradiction |].
  destruct (mem (op_id x) seen) eqn:M; [exact (IH _ _ H) |].
  destruct H as [<- | H]; [exact M |].
  apply IH in H; rewrite mem_set_add in H; apply orb_false_iff in H; apply H.
Qed.

Lemma undup_incl : forall xs seen y, In y (undup seen xs) -> In y xs.
Proof.
  induction xs as [| x rest IH]; intros seen y H; simpl in H; [contradiction |].
  destruct (mem (op_id x) seen); [right; exact (IH _ _ H) |].
  destruct H as [<- | H]; [left; reflexivity | right; exact (IH _ _ H)].
Qed.

Lemma undup_nodup : forall xs seen, NoDup (undup seen xs).
Proof.
  induction xs as [| x rest IH]; intro seen; simpl; [constructor |].
  destruct (mem (op_id x) seen); [apply IH |].
  constructor; [| apply IH].
  intro H; apply undup_not_seen in H; rewrite mem_set_add, id_eqb_refl in H; discriminate.
Qed.

Lemma undup_complete :
  forall xs seen y, In y xs ->
    mem (op_id y) seen = true \/ exists z, In z (undup seen xs) /\ op_id z = op_id y.
Proof.
  induction xs as [| x rest IH]; intros seen y H; [contradiction |].
  simpl; destruct (mem (op_id x) seen) eqn:M; destruct H as [<- | H].
  - left; exact M.
  - exact (IH _ _ H).
  - right; exists x; split; [left |]; reflexivity.
  - destruct (IH (set_add (op_id x) seen) y H) as [S | (z & Z & E)].
    + rewrite mem_set_add in S; apply orb_true_iff in S; destruct S as [S | S].
      * right; exists x; split; [left; reflexivity | symmetry; apply id_eqb_eq; exact S].
      * left; exact S.
    + right; exists z; split; [right |]; assumption.
Qed.

(** What a replica applies of a causal delivery is in a causal order. *)
Lemma undup_hb_consistent :
  forall hb xs pre seen,
    causal_delivery hb (pre ++ xs) -> (forall p, In p pre -> mem (op_id p) seen = true) ->
    hb_consistent hb (undup seen xs).
Proof.
  intros hb xs; induction xs as [| x rest IH]; intros pre seen C S; simpl; [constructor |].
  assert (C' : causal_delivery hb ((pre ++ [x]) ++ rest)) by (rewrite <- app_assoc; exact C).
  destruct (mem (op_id x) seen) eqn:M.
  - apply (IH (pre ++ [x])); [exact C' |].
    intros p P; apply in_app_or in P; destruct P as [P | [<- | []]]; [apply S |]; assumption.
  - constructor.
    + intros y Y Hyx.
      apply undup_not_seen in Y; rewrite mem_set_add in Y; apply orb_false_iff in Y.
      rewrite (S y (C pre x rest eq_refl y Hyx)) in Y; destruct Y; discriminate.
    + apply (IH (pre ++ [x])); [exact C' |].
      intros p P; rewrite mem_set_add; apply in_app_or in P.
      destruct P as [P | [<- | []]]; [rewrite (S p P); apply orb_true_r |].
      rewrite id_eqb_refl; reflexivity.
Qed.

Lemma add_ids_perm : forall xs ys, Permutation xs ys -> forall seen, add_ids seen xs = add_ids seen ys.
Proof.
  intros xs ys P; induction P as [| x l l' P IH | x y l | l l' l'' P1 IH1 P2 IH2];
    intro seen; simpl.
  - reflexivity.
  - apply IH.
  - rewrite set_add_comm; reflexivity.
  - rewrite IH1; apply IH2.
Qed.

(** ** The theorems *)

(** Strong eventual consistency: two replicas, each delivered the same set of ops in a causally
    valid order (duplicates allowed), end in the same state; either both apply every op, or both
    reject the same history. *)
Theorem convergence :
  forall (hb : op -> op -> Prop) (xs ys : list op),
    unique_ids xs -> refs_in_past hb xs ->
    causal_delivery hb xs -> causal_delivery hb ys ->
    (forall o, In o xs <-> In o ys) ->
    deliver_all empty xs = deliver_all empty ys.
Proof.
  intros hb xs ys Hu Hr Cx Cy Same; unfold empty; rewrite !deliver_all_undup.
  set (dx := undup [] xs); set (dy := undup [] ys).
  assert (Indx : forall o, In o dx <-> In o xs).
  { intro o; split; [apply undup_incl |]; intro O.
    destruct (undup_complete xs [] o O) as [M | (z & Z & E)]; [discriminate |].
    rewrite <- (Hu z o (undup_incl _ _ _ Z) O E); exact Z. }
  assert (Indy : forall o, In o dy <-> In o ys).
  { intro o; split; [apply undup_incl |]; intro O.
    destruct (undup_complete ys [] o O) as [M | (z & Z & E)]; [discriminate |].
    assert (Zy : In z ys) by exact (undup_incl _ _ _ Z).
    rewrite <- (Hu z o (proj2 (Same z) Zy) (proj2 (Same o) O) E); exact Z. }
  assert (P : Permutation dx dy).
  { apply NoDup_Permutation; try apply undup_nodup.
    intro o; rewrite Indx, Indy; apply Same. }
  assert (Sub : forall o, In o dy -> In o xs) by (intros o O; apply Same, Indy, O).
  rewrite (apply_all_perm hb dx dy [] P (undup_nodup ys []));
    [| exact (undup_hb_consistent hb xs [] [] Cx (fun p P => match P with end))
     | exact (undup_hb_consistent hb ys [] [] Cy (fun p P => match P with end))
     | intros a b A B; apply Hu; apply Sub; assumption
     | intros a b A B; apply Hr; apply Sub; assumption].
  rewrite (add_ids_perm dx dy P); reflexivity.
Qed.

(** Delivering an op that the replica already applied changes nothing. *)
Theorem applied_op_changes_nothing :
  forall r o, mem (op_id o) (applied r) = true -> deliver r o = Some r.
Proof. intros r o H; unfold deliver; rewrite H; reflexivity. Qed.

(** Delivering an op twice has the effect of delivering it once. *)
Theorem deliver_idempotent : forall r o r', deliver r o = Some r' -> deliver r' o = Some r'.
Proof.
  intros r o r' H; unfold deliver in H; destruct (mem (op_id o) (applied r)) eqn:M.
  - injection H as <-; apply applied_op_changes_nothing; exact M.
  - destruct (apply_op (ops r) o); simpl in H; [injection H as <- | discriminate].
    apply applied_op_changes_nothing; simpl; rewrite mem_set_add, id_eqb_refl; reflexivity.
Qed.

Lemma deliver_all_applied :
  forall xs r r', deliver_all r xs = Some r' ->
    (forall i, mem i (applied r) = true -> mem i (applied r') = true) /\
    (forall x, In x xs -> mem (op_id x) (applied r') = true).
Proof.
  induction xs as [| x rest IH]; intros r r' H; simpl in H.
  - injection H as <-; split; [auto | contradiction].
  - destruct (deliver r x) as [r1 |] eqn:D; simpl in H; [| discriminate].
    destruct (IH r1 r' H) as [Mono All].
    assert (Step : (forall i, mem i (applied r) = true -> mem i (applied r1) = true) /\
                   mem (op_id x) (applied r1) = true).
    { unfold deliver in D; destruct (mem (op_id x) (applied r)) eqn:M.
      - injection D as <-; auto.
      - destruct (apply_op (ops r) x); simpl in D; [injection D as <- | discriminate]; simpl.
        split; [intros i I; rewrite mem_set_add, I; apply orb_true_r |].
        rewrite mem_set_add, id_eqb_refl; reflexivity. }
    split; [intros i I; apply Mono, Step, I |].
    intros y [<- | Y]; [apply Mono, Step | apply All, Y].
Qed.

(** Delivering again every op a replica was delivered changes nothing. *)
Theorem redelivery_changes_nothing :
  forall xs r r', deliver_all r xs = Some r' -> deliver_all r' xs = Some r'.
Proof.
  intros xs r r' H; destruct (deliver_all_applied xs r r' H) as [_ All]; clear H.
  induction xs as [| x rest IH]; simpl; [reflexivity |].
  rewrite applied_op_changes_nothing by (apply All; left; reflexivity); simpl.
  apply IH; intros y Y; apply All; right; exact Y.
Qed.
