(** * The document model: operations, replica state and [apply]

    This file is the model of what Converge's engine does when it applies an op
    ([dev.converge.core.internal.opset.OpSet#apply]). The Java transcription used by the
    differential tests, [converge-core/src/test/java/dev/converge/core/model/OpSetModel.java],
    follows these definitions one for one; each Java method names the definition it transcribes.

    The state is the set of stored ops ("entries"), as in the engine and in Automerge's document
    format: a put, a make-object, an insert or an increment is stored; a delete is never stored and
    lives on only as a successor of the ops it removed. Entries are kept in op ID order. A list or
    text object keeps its elements, in document (RGA) order, on the entry of the op that made it. *)

From Coq Require Import List Bool ZArith String.
From Converge Require Import OpId.
Import ListNotations.

(** ** Operations *)

(** The root map, or the object made by an op. *)
Inductive objid := Root | Obj (i : opid).

(** A map property; or, in a sequence, the head (before the first element) or an element, named by
    the op that inserted it. *)
Inductive key := KProp (name : string) | KHead | KElem (e : opid).

Inductive objtype := TMap | TTable | TList | TText.

(** A scalar value. Only counters matter to merging; every other scalar is opaque. *)
Inductive scalar := SCounter (z : Z) | SOther (n : nat).

Inductive action :=
  | Make (t : objtype)  (** makeMap, makeTable, makeList, makeText *)
  | Put (v : scalar)    (** set a value (a counter is a put of a counter value) *)
  | Del                 (** delete *)
  | Inc (z : Z).        (** increment a counter *)

(** An op as a change carries it, with the ID its place in the change gives it. *)
Record op := MkOp {
  op_id : opid;
  op_obj : objid;
  op_key : key;          (** for an insert: the element after which the new one goes *)
  op_insert : bool;
  op_action : action;
  op_pred : list opid    (** the ops this one overwrites, deletes or increments *)
}.

(** The op IDs an op names: its object, its element (or reference element) and its predecessors.
    An op can only name ops that its author had already seen, so they happened before it. *)
Definition refs (o : op) : list opid :=
  (match op_obj o with Root => [] | Obj i => [i] end) ++
  (match op_key o with KElem r => [r] | _ => [] end) ++
  op_pred o.

(** ** Replica state *)

(** A stored op. [e_key] is the key the op acts at; an inserted element is stored at its own key
    [KElem e_id], so an element's slot holds its insert op and every later op aimed at it. *)
Record entry := MkEntry {
  e_id : opid;
  e_obj : objid;
  e_key : key;
  e_action : action;           (** never [Del] *)
  e_succ : list opid;          (** the non-increment ops that overwrote or deleted it, a set *)
  e_incs : list (opid * Z);    (** the increments applied to it, when it is a counter *)
  e_elems : list opid          (** for an op that made a list or text: its elements, RGA order *)
}.

(** Every stored op, in op ID order. *)
Definition state := list entry.

Definition obind {A B} (o : option A) (f : A -> option B) : option B :=
  match o with Some a => f a | None => None end.

Definition objid_eqb (a b : objid) : bool :=
  match a, b with
  | Root, Root => true
  | Obj x, Obj y => id_eqb x y
  | _, _ => false
  end.

Definition key_eqb (a b : key) : bool :=
  match a, b with
  | KProp x, KProp y => String.eqb x y
  | KHead, KHead => true
  | KElem x, KElem y => id_eqb x y
  | _, _ => false
  end.

Definition mem (a : opid) (l : list opid) : bool := existsb (id_eqb a) l.

(** ** Ordered collections *)

(** Inserts [a] before the first element with a greater op ID: keeps a list in op ID order. *)
Fixpoint ord_insert {A} (k : A -> opid) (a : A) (l : list A) : list A :=
  match l with
  | [] => [a]
  | x :: xs => if id_gtb (k x) (k a) then a :: x :: xs else x :: ord_insert k a xs
  end.

(** Adds [a] to a set of op IDs kept in ascending order. *)
Fixpoint set_add (a : opid) (l : list opid) : list opid :=
  match l with
  | [] => [a]
  | x :: xs =>
      if id_eqb x a then l else if id_gtb x a then a :: l else x :: set_add a xs
  end.

(** ** RGA: where an inserted element goes *)

(** Places the new element [e] at the front of [l], after skipping every element with a greater
    op ID (in the engine: [while next.id > id: next = next.next]). *)
Fixpoint rga_place (e : opid) (l : list opid) : list opid :=
  match l with
  | [] => [e]
  | x :: xs => if id_gtb x e then x :: rga_place e xs else e :: x :: xs
  end.

(** Inserts [e] after the element [r]; fails when [r] is not an element. *)
Fixpoint rga_after (r e : opid) (l : list opid) : option (list opid) :=
  match l with
  | [] => None
  | x :: xs =>
      if id_eqb x r then Some (x :: rga_place e xs) else option_map (cons x) (rga_after r e xs)
  end.

(** Inserts [e] after the reference element, or at the head for [None]. *)
Definition rga_insert (ref : option opid) (e : opid) (l : list opid) : option (list opid) :=
  match ref with
  | None => Some (rga_place e l)
  | Some r => rga_after r e l
  end.

(** ** Reading and updating entries *)

Definition with_succ (en : entry) (succ : list opid) : entry :=
  MkEntry (e_id en) (e_obj en) (e_key en) (e_action en) succ (e_incs en) (e_elems en).

Definition with_incs (en : entry) (incs : list (opid * Z)) : entry :=
  MkEntry (e_id en) (e_obj en) (e_key en) (e_action en) (e_succ en) incs (e_elems en).

Definition with_elems (en : entry) (elems : list opid) : entry :=
  MkEntry (e_id en) (e_obj en) (e_key en) (e_action en) (e_succ en) (e_incs en) elems.

(** The entry of the op [i]. *)
Fixpoint lookup (i : opid) (s : state) : option entry :=
  match s with
  | [] => None
  | en :: rest => if id_eqb (e_id en) i then Some en else lookup i rest
  end.

(** Replaces the entry of the op [i] by [f] of it; fails when there is none or [f] fails. *)
Fixpoint update_first (i : opid) (f : entry -> option entry) (s : state) : option state :=
  match s with
  | [] => None
  | en :: rest =>
      if id_eqb (e_id en) i then option_map (fun en' => en' :: rest) (f en)
      else option_map (cons en) (update_first i f rest)
  end.

(** The type of an object: the root is a map; any other object exists once the op that made it is
    stored. *)
Definition obj_type (s : state) (o : objid) : option objtype :=
  match o with
  | Root => Some TMap
  | Obj i =>
      match lookup i s with
      | Some en => match e_action en with Make t => Some t | _ => None end
      | None => None
      end
  end.

(** Whether [r] is an element of the sequence [o]. *)
Definition has_elem (s : state) (o : objid) (r : opid) : bool :=
  match o with
  | Root => false
  | Obj i => match lookup i s with Some en => mem r (e_elems en) | None => false end
  end.

Definition is_seq (t : objtype) : bool :=
  match t with TList | TText => true | TMap | TTable => false end.

(** ** Effects: what applying one op does *)

(** An op, checked against the state, becomes an effect in three steps: place a new element in its
    sequence ([ef_place]: the sequence's op and the reference element), mark the predecessors at
    [ef_key] as overwritten or incremented ([ef_preds], [ef_inc]), and store the op ([ef_store]). *)
Record effect := MkEffect {
  ef_id : opid;
  ef_obj : objid;
  ef_key : key;
  ef_preds : list opid;
  ef_inc : option Z;
  ef_place : option (opid * option opid);
  ef_store : option action
}.

(** Marks one entry that the op names as a predecessor (engine: [OpSet.linkPreds]). Predecessors
    are looked for only at the op's own object and key. An increment adds to a counter; any other
    op, or an increment naming something other than a counter, hides the predecessor. *)
Definition link (f : effect) (en : entry) : entry :=
  if objid_eqb (e_obj en) (ef_obj f) && key_eqb (e_key en) (ef_key f) && mem (e_id en) (ef_preds f)
  then
    match ef_inc f, e_action en with
    | Some z, Put (SCounter _) => with_incs en (ord_insert fst (ef_id f, z) (e_incs en))
    | _, _ => with_succ en (set_add (ef_id f) (e_succ en))
    end
  else en.

Definition new_entry (f : effect) (a : action) : entry :=
  MkEntry (ef_id f) (ef_obj f) (ef_key f) a [] [] [].

Definition place_elem (ref : option opid) (e : opid) (en : entry) : option entry :=
  option_map (with_elems en) (rga_insert ref e (e_elems en)).

(** Step 1: the new element goes into its sequence (engine: [OpSet.insert]). *)
Definition place (f : effect) (s : state) : option state :=
  match ef_place f with
  | None => Some s
  | Some (seq, ref) => update_first seq (place_elem ref (ef_id f)) s
  end.

(** Steps 2 and 3: predecessors, then the op itself, in op ID order (engine: [OpSet.addSorted]). *)
Definition post (f : effect) (s : state) : state :=
  let s' := map (link f) s in
  match ef_store f with
  | None => s'
  | Some a => ord_insert e_id (new_entry f a) s'
  end.

Definition run (f : effect) (s : state) : option state := option_map (post f) (place f s).

Definition inc_of (a : action) : option Z := match a with Inc z => Some z | _ => None end.

Definition stored (a : action) : option action := match a with Del => None | _ => Some a end.

(** An insert: a new element of the sequence [seq], after [ref]. An insert names no
    predecessors, and cannot delete or increment. *)
Definition insert_effect (o : op) (seq : opid) (ref : option opid) : option effect :=
  match op_action o with
  | Del | Inc _ => None
  | a => Some (MkEffect (op_id o) (op_obj o) (KElem (op_id o)) [] None (Some (seq, ref)) (Some a))
  end.

(** A put, delete or increment at a map key or an existing element. *)
Definition update_effect (o : op) (k : key) : effect :=
  MkEffect (op_id o) (op_obj o) k (op_pred o) (inc_of (op_action o)) None (stored (op_action o)).

(** Checks an op against the state; [None] is what the engine rejects with
    [CorruptDataException]: an unknown object, a key of the wrong kind, an unknown element, an
    insert that deletes or increments. *)
Definition plan (s : state) (o : op) : option effect :=
  match obj_type s (op_obj o) with
  | None => None
  | Some t =>
      if is_seq t then
        match op_obj o, op_insert o, op_key o with
        | Obj seq, true, KHead => insert_effect o seq None
        | Obj seq, true, KElem r => insert_effect o seq (Some r)
        | _, false, KElem r => if has_elem s (op_obj o) r then Some (update_effect o (KElem r)) else None
        | _, _, _ => None
        end
      else
        match op_insert o, op_key o with
        | false, KProp k => Some (update_effect o (KProp k))
        | _, _ => None
        end
  end.

(** Applies one op (engine: [OpSet.apply]). *)
Definition apply_op (s : state) (o : op) : option state := obind (plan s o) (fun f => run f s).

Fixpoint apply_all (s : state) (xs : list op) : option state :=
  match xs with
  | [] => Some s
  | x :: rest => obind (apply_op s x) (fun s' => apply_all s' rest)
  end.

(** ** Replicas: delivery with duplicates *)

(** A replica remembers which ops it applied, as the engine's change graph remembers change hashes,
    and skips an op it already has. *)
Record replica := MkReplica { applied : list opid; ops : state }.

Definition empty : replica := MkReplica [] [].

Definition deliver (r : replica) (o : op) : option replica :=
  if mem (op_id o) (applied r) then Some r
  else option_map (MkReplica (set_add (op_id o) (applied r))) (apply_op (ops r) o).

Fixpoint deliver_all (r : replica) (xs : list op) : option replica :=
  match xs with
  | [] => Some r
  | x :: rest => obind (deliver r x) (fun r' => deliver_all r' rest)
  end.

(** ** Reading the state (what the differential tests compare with the engine) *)

(** An op is visible when nothing overwrote or deleted it; increments are never visible. *)
Definition visible (en : entry) : bool :=
  match e_action en with
  | Inc _ => false
  | _ => match e_succ en with [] => true | _ :: _ => false end
  end.

(** Every visible value at a key or element, in op ID order: the last one wins, more than one is a
    conflict. *)
Definition values_at (s : state) (o : objid) (k : key) : list entry :=
  filter (fun en => objid_eqb (e_obj en) o && key_eqb (e_key en) k && visible en) s.

(** A counter's value: its initial value plus every increment. *)
Definition counter_total (en : entry) : option Z :=
  match e_action en with
  | Put (SCounter z) => Some (fold_left Z.add (map snd (e_incs en)) z)
  | _ => None
  end.

(** The elements of a sequence that hold a visible value, in document order. *)
Definition elements (s : state) (o : objid) : list opid :=
  match o with
  | Root => []
  | Obj i =>
      match lookup i s with
      | Some en =>
          filter (fun r => match values_at s o (KElem r) with [] => false | _ => true end)
            (e_elems en)
      | None => []
      end
  end.

(** The keys of a map that hold a visible value, each once. *)
Definition prop_keys (s : state) (o : objid) : list string :=
  fold_right
    (fun en acc =>
       match e_key en with
       | KProp k =>
           if objid_eqb (e_obj en) o && visible en && negb (existsb (String.eqb k) acc)
           then k :: acc else acc
       | _ => acc
       end)
    [] s.
