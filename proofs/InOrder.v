(** * The winner is the greatest visible op ID

    Every state a replica reaches keeps its entries in op ID order, so the visible values at a key or
    element come out in op ID order too, and the value a reader takes (the last) has the greatest op
    ID among them. *)

From Coq Require Import List Bool.
From Converge Require Import OpId Model Lists Commute.
Import ListNotations.

(** No entry has a greater op ID than an entry after it. *)
Fixpoint in_id_order (s : list entry) : Prop :=
  match s with
  | [] => True
  | a :: rest => (forall b, In b rest -> id_gtb (e_id a) (e_id b) = false) /\ in_id_order rest
  end.

Lemma ord_insert_in : forall {A} (k : A -> opid) a l b, In b (ord_insert k a l) <-> a = b \/ In b l.
Proof.
  intros A k a l b; induction l as [| x xs IH]; simpl; [tauto |].
  destruct (id_gtb (k x) (k a)); simpl; rewrite ?IH; tauto.
Qed.

Lemma in_id_order_insert : forall n l, in_id_order l -> in_id_order (ord_insert e_id n l).
Proof.
  intros n l; induction l as [| x xs IH]; simpl; intro H.
  - split; [contradiction | exact I].
  - destruct H as [Hx Hxs]; destruct (id_gtb (e_id x) (e_id n)) eqn:G; simpl.
    + split; [| split; assumption].
      intros b [<- | B]; [opid_arith |].
      specialize (Hx b B); opid_arith.
    + split; [| apply IH, Hxs].
      intros b B; apply ord_insert_in in B; destruct B as [<- | B]; [exact G | apply Hx, B].
Qed.

Lemma in_id_order_map :
  forall f l, (forall en, e_id (f en) = e_id en) -> in_id_order l -> in_id_order (map f l).
Proof.
  intros f l Hf; induction l as [| x xs IH]; simpl; [auto |]; intros [Hx Hxs].
  split; [| apply IH, Hxs].
  intros b B; apply in_map_iff in B; destruct B as (b0 & <- & B); rewrite !Hf; apply Hx, B.
Qed.

Lemma update_first_ids :
  forall i f l l', keeps_id f -> update_first i f l = Some l' ->
    forall b, In b l' -> exists b0, In b0 l /\ e_id b = e_id b0.
Proof.
  intros i f l; induction l as [| x xs IH]; intros l' Hf H b B; simpl in H; [discriminate |].
  destruct (id_eqb (e_id x) i).
  - destruct (f x) as [x' |] eqn:F; simpl in H; [injection H as <- | discriminate].
    destruct B as [<- | B]; [exists x; split; [left; reflexivity | exact (Hf _ _ F)] |].
    exists b; split; [right; exact B | reflexivity].
  - destruct (update_first i f xs) as [xs' |] eqn:U; simpl in H; [injection H as <- | discriminate].
    destruct B as [<- | B]; [exists x; split; [left |]; reflexivity |].
    destruct (IH xs' Hf eq_refl b B) as (b0 & B0 & E); exists b0; split; [right |]; assumption.
Qed.

Lemma in_id_order_update :
  forall i f l l', keeps_id f -> in_id_order l -> update_first i f l = Some l' -> in_id_order l'.
Proof.
  intros i f l; induction l as [| x xs IH]; intros l' Hf Hl H; simpl in H; [discriminate |].
  destruct Hl as [Hx Hxs]; destruct (id_eqb (e_id x) i).
  - destruct (f x) as [x' |] eqn:F; simpl in H; [injection H as <- | discriminate].
    simpl; rewrite (Hf _ _ F); split; assumption.
  - destruct (update_first i f xs) as [xs' |] eqn:U; simpl in H; [injection H as <- | discriminate].
    simpl; split; [| exact (IH xs' Hf Hxs eq_refl)].
    intros b B; destruct (update_first_ids i f xs xs' Hf U b B) as (b0 & B0 & ->); apply Hx, B0.
Qed.

Lemma in_id_order_apply :
  forall s o s', in_id_order s -> apply_op s o = Some s' -> in_id_order s'.
Proof.
  intros s o s' Hs H; unfold apply_op in H.
  destruct (plan s o) as [f |]; simpl in H; [| discriminate].
  unfold run in H; destruct (place f s) as [s1 |] eqn:P; simpl in H; [injection H as <- | discriminate].
  assert (H1 : in_id_order s1).
  { unfold place in P; destruct (ef_place f) as [[seq ref] |].
    - exact (in_id_order_update _ _ _ _ (place_elem_keeps_id _ _) Hs P).
    - injection P as <-; exact Hs. }
  rewrite post_store; unfold store.
  assert (H2 : in_id_order (map (link f) s1)) by (apply in_id_order_map; [apply link_id | exact H1]).
  destruct (ef_store f); [apply in_id_order_insert |]; exact H2.
Qed.

Lemma in_id_order_deliver_all :
  forall xs r r', in_id_order (ops r) -> deliver_all r xs = Some r' -> in_id_order (ops r').
Proof.
  induction xs as [| x rest IH]; intros r r' Hr H; simpl in H; [injection H as <-; exact Hr |].
  destruct (deliver r x) as [r1 |] eqn:D; simpl in H; [| discriminate].
  apply (IH r1); [| exact H].
  unfold deliver in D; destruct (mem (op_id x) (applied r)).
  - injection D as <-; exact Hr.
  - destruct (apply_op (ops r) x) as [s1 |] eqn:A; simpl in D; [injection D as <- | discriminate].
    exact (in_id_order_apply _ _ _ Hr A).
Qed.

Lemma in_id_order_filter : forall p l, in_id_order l -> in_id_order (filter p l).
Proof.
  intros p l; induction l as [| x xs IH]; simpl; [auto |]; intros [Hx Hxs].
  destruct (p x); simpl; [split |]; try (apply IH, Hxs).
  intros b B; apply filter_In in B; apply Hx, B.
Qed.

Lemma in_id_order_last :
  forall vs w, in_id_order (vs ++ [w]) -> forall v, In v vs -> id_gtb (e_id v) (e_id w) = false.
Proof.
  induction vs as [| x xs IH]; simpl; intros w [Hx Hxs] v V; [contradiction |].
  destruct V as [<- | V]; [apply Hx, in_or_app; right; left; reflexivity | exact (IH w Hxs v V)].
Qed.

(** In every state a replica reaches, the value a reader takes at a key or element (the last
    visible one) has an op ID at least as great as every other visible value there. *)
Theorem winner_has_greatest_id :
  forall xs r o k vs w,
    deliver_all empty xs = Some r -> values_at (ops r) o k = vs ++ [w] ->
    forall v, In v vs -> id_gtb (e_id v) (e_id w) = false.
Proof.
  intros xs r o k vs w D V.
  apply in_id_order_last; rewrite <- V; unfold values_at.
  apply in_id_order_filter, (in_id_order_deliver_all xs empty r); [exact I | exact D].
Qed.
