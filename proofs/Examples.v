(** * Examples: the model computes what Automerge computes

    Small histories whose results are known from Automerge, checked by computation. The Java
    transcription's unit test ([OpSetModelTest]) runs the same histories. *)

From Coq Require Import List ZArith String.
From Converge Require Import OpId Model.
Import ListNotations.
Open Scope string_scope.

Definition id (c a : nat) : opid := OpId c a.

Definition make_list : op := MkOp (id 1 0) Root (KProp "list") false (Make TList) [].
Definition list_obj : objid := Obj (id 1 0).

Definition run_ops (xs : list op) : option state := apply_all [] xs.

Definition elements_after (xs : list op) (o : objid) : option (list opid) :=
  option_map (fun s => elements s o) (run_ops xs).

Definition winners_at (xs : list op) (o : objid) (k : key) : option (list opid) :=
  option_map (fun s => map e_id (values_at s o k)) (run_ops xs).

(** Automerge: inserting a (op 10) then b (op 12), both at the head, gives [b, a]. *)
Example head_inserts_newest_first :
  elements_after
    [make_list;
     MkOp (id 10 0) list_obj KHead true (Put (SOther 1)) [];
     MkOp (id 12 0) list_obj KHead true (Put (SOther 2)) []] list_obj
  = Some [id 12 0; id 10 0].
Proof. reflexivity. Qed.

(** Concurrent inserts after one element with the same counter: the greater actor goes first, and
    either delivery order gives that list. *)
Definition a_then_b : list op :=
  [make_list;
   MkOp (id 2 0) list_obj KHead true (Put (SOther 0)) [];
   MkOp (id 3 1) list_obj (KElem (id 2 0)) true (Put (SOther 1)) [];
   MkOp (id 3 2) list_obj (KElem (id 2 0)) true (Put (SOther 2)) []].

Example concurrent_inserts_greater_actor_first :
  elements_after a_then_b list_obj = Some [id 2 0; id 3 2; id 3 1].
Proof. reflexivity. Qed.

Example concurrent_inserts_either_order :
  elements_after (rev (skipn 2 (rev a_then_b)) ++ rev (skipn 2 a_then_b)) list_obj
  = Some [id 2 0; id 3 2; id 3 1].
Proof. reflexivity. Qed.

(** An insert after an element goes before an earlier insert there: a later op has a greater
    counter. *)
Example later_insert_goes_right_after_its_reference :
  elements_after
    [make_list;
     MkOp (id 2 0) list_obj KHead true (Put (SOther 0)) [];
     MkOp (id 3 0) list_obj (KElem (id 2 0)) true (Put (SOther 1)) [];
     MkOp (id 4 0) list_obj (KElem (id 2 0)) true (Put (SOther 2)) []] list_obj
  = Some [id 2 0; id 4 0; id 3 0].
Proof. reflexivity. Qed.

(** Two concurrent puts at one key are both kept; the greater op ID is last, the winner. *)
Definition conflict : list op :=
  [MkOp (id 1 0) Root (KProp "k") false (Put (SOther 1)) [];
   MkOp (id 2 2) Root (KProp "k") false (Put (SOther 3)) [id 1 0];
   MkOp (id 2 1) Root (KProp "k") false (Put (SOther 2)) [id 1 0]].

Example concurrent_puts_conflict : winners_at conflict Root (KProp "k") = Some [id 2 1; id 2 2].
Proof. reflexivity. Qed.

(** A delete naming both conflicting values removes the key. *)
Example delete_resolves_conflict :
  winners_at (conflict ++ [MkOp (id 3 0) Root (KProp "k") false Del [id 2 1; id 2 2]])
    Root (KProp "k") = Some [].
Proof. reflexivity. Qed.

(** A delete concurrent with a put removes only the value it saw. *)
Example delete_keeps_concurrent_put :
  winners_at
    [MkOp (id 1 0) Root (KProp "k") false (Put (SOther 1)) [];
     MkOp (id 2 1) Root (KProp "k") false Del [id 1 0];
     MkOp (id 2 2) Root (KProp "k") false (Put (SOther 2)) [id 1 0]] Root (KProp "k")
  = Some [id 2 2].
Proof. reflexivity. Qed.

(** Automerge: counter(10) + inc 5 gives 15; concurrent increments add up, and the counter stays
    visible. *)
Example counter_adds_increments :
  option_map (fun s => map counter_total (values_at s Root (KProp "c")))
    (run_ops
       [MkOp (id 1 0) Root (KProp "c") false (Put (SCounter 10)) [];
        MkOp (id 2 1) Root (KProp "c") false (Inc 5) [id 1 0];
        MkOp (id 2 2) Root (KProp "c") false (Inc (-2)) [id 1 0]])
  = Some [Some 13%Z].
Proof. reflexivity. Qed.

(** An op on an object that does not exist is rejected, as the engine rejects it. *)
Example unknown_object_rejected :
  run_ops [MkOp (id 1 0) (Obj (id 9 9)) (KProp "k") false (Put (SOther 1)) []] = None.
Proof. reflexivity. Qed.

(** An insert after an element that is not in the list is rejected. *)
Example unknown_element_rejected :
  run_ops [make_list; MkOp (id 2 0) list_obj (KElem (id 7 0)) true (Put (SOther 1)) []] = None.
Proof. reflexivity. Qed.

(** Nested objects: a map inside a list element, then a key inside it. *)
Example nested_map_in_list :
  winners_at
    [make_list;
     MkOp (id 2 0) list_obj KHead true (Make TMap) [];
     MkOp (id 3 0) (Obj (id 2 0)) (KProp "x") false (Put (SOther 5)) []]
    (Obj (id 2 0)) (KProp "x") = Some [id 3 0].
Proof. reflexivity. Qed.

(** A delivered duplicate changes nothing. *)
Example duplicate_delivery :
  option_map ops (deliver_all empty (conflict ++ conflict)) = option_map ops (deliver_all empty conflict).
Proof. reflexivity. Qed.
