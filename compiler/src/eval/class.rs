//! Classes: declarations, `new`, `extends` and `super(...)`, static members.
//!
//! A class is a [`Value::Class`]: its static members live on it, its methods and getters on a
//! prototype object that every instance reads through (`Object::proto`). `new C(...)` makes an
//! object, runs the constructors from the base class down (`super(...)` runs the parent's), and
//! initializes each class's fields where JavaScript does: in a base class before
//! its constructor's body, in a derived class when `super(...)` returns. TypeScript parameter
//! properties (`constructor(private name: string)`) are assigned to `this`.

use std::cell::RefCell;
use std::rc::Rc;

use super::interp::{Env, Flow, R};
use super::value::{Class, Object, Props, Value};
use super::{Args, Builtin, Evaluator};
use crate::diagnostics::codes;
use crate::span::Span;
use crate::syntax::ast::{self, ClassMemberKind};

impl<'a> Evaluator<'a> {
    /// The value of a class declaration or expression, its static members initialized. A
    /// declaration binds its name in `env` first, so static initializers can use it. A body
    /// the parser skipped gives an unknown value.
    pub(crate) fn class_value(
        &mut self,
        decl: &'a ast::ClassDecl,
        env: &Env<'a>,
        bind: bool,
    ) -> R<'a> {
        let Some(members) = &decl.members else {
            let name = decl.name.as_ref().map_or("anonymous", |n| n.name.as_str());
            return Ok(Value::opaque(
                super::value::OpaqueReason::Unsupported(format!(
                    "{} `{name}` (its body could not be read)",
                    super::interp::CLASS_VALUE
                )),
                Some(self.location(decl.span)),
            ));
        };
        let parent = match &decl.extends {
            Some(x) => Some(self.expr(x, env)?),
            None => None,
        };
        let scope = self.new_scope(env);
        let parent_proto = match &parent {
            Some(Value::Class(p)) => Some(p.prototype.clone()),
            _ => None,
        };
        // A class extending an unknown value (a package's class): what its instances inherit
        // is unknown, not undefined.
        let unknown_parent = match &parent {
            Some(Value::Opaque(o)) => Some(o.clone()),
            _ => None,
        };
        let prototype = Value::Object(Rc::new(RefCell::new(Object {
            props: Props::default(),
            rest: unknown_parent,
            proto: parent_proto,
        })));
        let class = Rc::new(Class {
            decl,
            env: scope.clone(),
            module: self.current,
            parent,
            prototype: prototype.clone(),
            statics: RefCell::default(),
        });
        let value = Value::Class(class.clone());
        // `super.method()` in methods reads the parent's prototype (see `call_expr`).
        if let Some(Value::Class(p)) = &class.parent {
            scope.define("super", p.prototype.clone(), false);
        }
        if let Some(n) = &decl.name {
            // The class's own name, inside its body.
            scope.define(&n.name, value.clone(), false);
            if bind {
                env.define(&n.name, value.clone(), true);
            }
        }
        // Methods and getters exist before any static field runs: instance ones on the
        // prototype (called on an instance, `this` is the instance), static ones on the class.
        // A getter runs on each read.
        for m in members {
            let target = if m.is_static { &value } else { &prototype };
            match &m.kind {
                ClassMemberKind::Method(f) => {
                    let key = self.prop_key(&m.key, &scope)?;
                    if m.is_static || &*key != "constructor" {
                        let method = self.closure(f, &scope, None);
                        target.define_own(key, method);
                    }
                }
                ClassMemberKind::Getter(f) => {
                    let key = self.prop_key(&m.key, &scope)?;
                    let getter = self.closure(f, &scope, None);
                    self.inherited_getter(target, key, getter, m.span);
                }
                _ => {}
            }
        }
        // Static fields and blocks in order, `this` being the class.
        let this_scope = self.new_scope(&scope);
        this_scope.define("this", value.clone(), false);
        for m in members.iter().filter(|m| m.is_static) {
            match &m.kind {
                ClassMemberKind::Method(_)
                | ClassMemberKind::Getter(_)
                | ClassMemberKind::Setter(_) => {}
                ClassMemberKind::Field(init) => {
                    let key = self.prop_key(&m.key, &scope)?;
                    let v = match init {
                        Some(x) => self.expr(x, &this_scope)?,
                        None => Value::Undefined,
                    };
                    value.define_own(key, v);
                }
                ClassMemberKind::StaticBlock(body) => {
                    let block = self.new_scope(&this_scope);
                    self.hoist(body, &block);
                    for s in body {
                        self.stmt(s, &block)?;
                    }
                }
            }
        }
        Ok(value)
    }

    /// `C.key`: a static member, the parent's, or the class's `name`.
    pub(crate) fn class_member(&mut self, class: &Rc<Class<'a>>, key: &str, span: Span) -> R<'a> {
        if let Some(v) = class.statics.borrow().get(key) {
            return Ok(v.clone());
        }
        let this = Value::Class(class.clone());
        if let Some(getter) = self.accessor_getter(&this, key) {
            return self.call(&getter, Some(this), Args::new(Vec::new(), Vec::new(), span));
        }
        match key {
            "name" => {
                return Ok(Value::str(
                    class.decl.name.as_ref().map_or("", |n| n.name.as_str()),
                ));
            }
            "prototype" => return Ok(class.prototype.clone()),
            "call" | "apply" => {
                return Ok(Value::Builtin(Rc::new(Builtin::FunctionMethod(
                    Value::Class(class.clone()),
                    key.into(),
                ))));
            }
            _ => {}
        }
        match &class.parent {
            Some(p @ (Value::Class(_) | Value::Opaque(_))) => self.get(p, key, span),
            _ => Ok(Value::Undefined),
        }
    }

    /// `new C(...args)`.
    pub(crate) fn construct_class(&mut self, class: &Rc<Class<'a>>, args: Args<'a>) -> R<'a> {
        let this = Value::Object(Rc::new(RefCell::new(Object {
            props: Props::default(),
            rest: None,
            proto: Some(class.prototype.clone()),
        })));
        match self.run_constructor(class, class, &this, args)? {
            // A constructor may return another object, which `new` gives instead.
            v @ (Value::Object(_) | Value::Array(_) | Value::Host(_)) => Ok(v),
            _ => Ok(this),
        }
    }

    /// Runs the constructor of `class` for `this`: its own, or the parent's with the same
    /// arguments when it has none. Returns what the constructor returned.
    /// `target` is the class `new` was called on (`new.target`).
    fn run_constructor(
        &mut self,
        class: &Rc<Class<'a>>,
        target: &Rc<Class<'a>>,
        this: &Value<'a>,
        args: Args<'a>,
    ) -> R<'a> {
        let ctor = class
            .decl
            .members
            .iter()
            .flatten()
            .find_map(|m| match &m.kind {
                ClassMemberKind::Method(f)
                    if !m.is_static
                        && matches!(&m.key, ast::PropKey::Ident(id) if id.name == "constructor") =>
                {
                    Some(f)
                }
                _ => None,
            });
        let parent = match &class.parent {
            Some(Value::Class(p)) => Some(p.clone()),
            _ => None,
        };
        let Some(ctor) = ctor else {
            if let Some(p) = &parent {
                self.run_constructor(p, target, this, args)?;
            }
            self.init_fields(class, this)?;
            return Ok(Value::Undefined);
        };
        let scope = self.new_scope(&class.env);
        scope.define("new.target", Value::Class(target.clone()), false);
        match parent {
            // `super(...)` runs the parent's constructor, then this class's field initializers.
            Some(_) => scope.define(
                "super",
                Value::Builtin(Rc::new(Builtin::SuperCall(
                    class.clone(),
                    target.clone(),
                    this.clone(),
                ))),
                false,
            ),
            None => self.init_fields(class, this)?,
        }
        let f = self.closure(ctor, &scope, None);
        self.call(&f, Some(this.clone()), args)
    }

    /// `super(...args)` in the constructor of `class`.
    pub(crate) fn super_call(
        &mut self,
        class: &Rc<Class<'a>>,
        target: &Rc<Class<'a>>,
        this: &Value<'a>,
        args: Args<'a>,
    ) -> R<'a> {
        if let Some(Value::Class(p)) = &class.parent {
            self.run_constructor(&p.clone(), target, this, args)?;
        }
        self.init_fields(class, this)?;
        Ok(Value::Undefined)
    }

    /// The instance fields of `class`, in order, each initializer run with `this`.
    fn init_fields(&mut self, class: &Rc<Class<'a>>, this: &Value<'a>) -> R<'a, ()> {
        let scope = self.new_scope(&class.env);
        scope.define("this", this.clone(), false);
        for m in class.decl.members.iter().flatten() {
            if let (false, ClassMemberKind::Field(init)) = (m.is_static, &m.kind) {
                let key = self.prop_key(&m.key, &scope)?;
                let v = match init {
                    Some(x) => self.expr(x, &scope)?,
                    None => Value::Undefined,
                };
                this.define_own(key, v);
            }
        }
        Ok(())
    }

    /// A class called without `new`.
    pub(crate) fn class_called(&self, class: &Rc<Class<'a>>, span: Span) -> Flow<'a> {
        let name = class
            .decl
            .name
            .as_ref()
            .map_or("anonymous", |n| n.name.as_str());
        self.error(
            codes::NOT_CALLABLE,
            span,
            format!("the class `{name}` cannot be called without `new`"),
            "called here",
        )
    }
}
