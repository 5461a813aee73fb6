package dev.resilience.spring.interceptor;

import dev.resilience.keyed.KeyFunction;
import dev.resilience.keyed.NullKeyException;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.expression.BeanResolver;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.IndexAccessor;
import org.springframework.expression.MethodResolver;
import org.springframework.expression.OperatorOverloader;
import org.springframework.expression.ParseException;
import org.springframework.expression.PropertyAccessor;
import org.springframework.expression.TypeComparator;
import org.springframework.expression.TypeConverter;
import org.springframework.expression.TypeLocator;
import org.springframework.expression.TypedValue;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.ast.Assign;
import org.springframework.expression.spel.ast.BeanReference;
import org.springframework.expression.spel.ast.ConstructorReference;
import org.springframework.expression.spel.ast.TypeReference;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code key} of a keyed annotation: a SpEL expression over the method's arguments, parsed and checked once at
 * start-up, evaluated per call.
 *
 * <p>Per call: one small evaluation context (the arguments array and a shared, immutable set-up) and the expression,
 * which Spring compiles to bytecode after its first evaluations ({@link SpelCompilerMode#MIXED}: it falls back to
 * interpreting if a compiled form cannot handle the arguments' types). Variables are resolved by an index computed
 * at start-up, never by parameter-name discovery per call.
 *
 * <p>The context is read-only data binding: properties and instance methods of the arguments; no type references
 * ({@code T(...)}), bean references, constructors or assignments. A key is an argument or derived from one.
 */
final class KeyExpression implements KeyFunction {

    /** Accessors, resolvers and converters for every call; immutable once built. */
    private static final EvaluationContext SHARED = SimpleEvaluationContext.forReadOnlyDataBinding().withInstanceMethods().build();

    private final String source;
    private final SpelExpression expression;
    private final Map<String, Integer> variables;
    private final String where;

    private KeyExpression(String source, SpelExpression expression, Map<String, Integer> variables, String where) {
        this.source = source;
        this.expression = expression;
        this.variables = variables;
        this.where = where;
    }

    /**
     * @param source the annotation's {@code key}
     * @param method the annotated method
     * @param where names the annotation and method, for messages (e.g. {@code @RateLimited(name = "api") of method ...})
     * @return the parsed expression
     * @throws IllegalArgumentException saying what is wrong: a syntax error, or a variable that is no argument
     */
    static KeyExpression parse(String source, Method method, String where) {
        Map<String, Integer> variables = new HashMap<>();
        int count = method.getParameterCount();
        for (int i = 0; i < count; i++) {
            variables.put("p" + i, i);
            variables.put("a" + i, i);
        }
        String[] names = new DefaultParameterNameDiscoverer().getParameterNames(method);
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                variables.putIfAbsent(names[i], i);
            }
        }
        SpelExpression expression;
        try {
            SpelExpressionParser parser = new SpelExpressionParser(
                    new SpelParserConfiguration(SpelCompilerMode.MIXED, method.getDeclaringClass().getClassLoader()));
            expression = (SpelExpression) parser.parseExpression(source);
        } catch (ParseException | IllegalStateException e) {
            throw new IllegalArgumentException("its key expression '" + source + "' cannot be parsed: " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        collect(expression.getAST(), variables, unknown, unsupported);
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("its key expression '" + source + "' uses " + String.join(", ", unsupported)
                    + ", which a key expression cannot (it reads the arguments, their properties and their methods only)");
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("its key expression '" + source + "' reads " + String.join(", ", unknown)
                    + ", which " + (unknown.size() == 1 ? "is" : "are") + " not among the method's arguments (known: "
                    + new TreeSet<>(variables.keySet()) + (names == null ? "; parameter names are not available: compile"
                    + " with -parameters or use #p0, #a0" : "") + ")");
        }
        return new KeyExpression(source, expression, Map.copyOf(variables), where);
    }

    private static void collect(SpelNode node, Map<String, Integer> variables, List<String> unknown, List<String> unsupported) {
        if (node instanceof VariableReference) {
            String name = node.toStringAST().substring(1);
            if (!variables.containsKey(name) && !"root".equals(name) && !"this".equals(name)) {
                unknown.add("#" + name);
            }
        } else if (node instanceof TypeReference) {
            unsupported.add("a type reference (" + node.toStringAST() + ")");
        } else if (node instanceof BeanReference) {
            unsupported.add("a bean reference (" + node.toStringAST() + ")");
        } else if (node instanceof ConstructorReference) {
            unsupported.add("a constructor (" + node.toStringAST() + ")");
        } else if (node instanceof Assign) {
            unsupported.add("an assignment (" + node.toStringAST() + ")");
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            collect(node.getChild(i), variables, unknown, unsupported);
        }
    }

    /** @return the expression as written */
    String source() {
        return source;
    }

    @Override
    public Object key(Object call) {
        MethodInvocation invocation = call instanceof MethodInvocation direct ? direct
                : call instanceof InvocationCall async ? async.invocation
                : ((ReactiveMethodSupport.BoundCall) call).invocation();
        return key(invocation.getArguments());
    }

    /**
     * @param arguments a call's arguments
     * @return its key
     * @throws NullKeyException if the expression gives {@code null}
     * @throws IllegalArgumentException if it cannot be evaluated for these arguments
     */
    Object key(Object[] arguments) {
        Object key;
        try {
            key = expression.getValue(new ArgumentsContext(variables, arguments));
        } catch (EvaluationException e) {
            throw new IllegalArgumentException("The key expression '" + source + "' of " + where
                    + " could not be evaluated: " + e.getMessage(), e);
        }
        if (key == null) {
            throw new NullKeyException("The key expression '" + source + "' of " + where
                    + " gave null: a keyed limit needs a key for every call (the call did not run)");
        }
        return key;
    }

    @Override
    public String toString() {
        return "KeyExpression[" + source + "]";
    }

    /** One call's variables over the shared set-up. */
    private static final class ArgumentsContext implements EvaluationContext {

        private final Map<String, Integer> variables;
        private final Object[] arguments;

        ArgumentsContext(Map<String, Integer> variables, Object[] arguments) {
            this.variables = variables;
            this.arguments = arguments;
        }

        @Override
        public Object lookupVariable(String name) {
            Integer index = variables.get(name);
            return index == null || index >= arguments.length ? null : arguments[index];
        }

        @Override
        public void setVariable(String name, Object value) {
            throw new UnsupportedOperationException("a key expression cannot set variables");
        }

        @Override
        public boolean isAssignmentEnabled() {
            return false;
        }

        @Override
        public TypedValue getRootObject() {
            return TypedValue.NULL;
        }

        @Override
        public List<PropertyAccessor> getPropertyAccessors() {
            return SHARED.getPropertyAccessors();
        }

        @Override
        public List<IndexAccessor> getIndexAccessors() {
            return SHARED.getIndexAccessors();
        }

        @Override
        public List<MethodResolver> getMethodResolvers() {
            return SHARED.getMethodResolvers();
        }

        @Override
        public List<org.springframework.expression.ConstructorResolver> getConstructorResolvers() {
            return SHARED.getConstructorResolvers();
        }

        @Override
        public BeanResolver getBeanResolver() {
            return SHARED.getBeanResolver();
        }

        @Override
        public TypeLocator getTypeLocator() {
            return SHARED.getTypeLocator();
        }

        @Override
        public TypeConverter getTypeConverter() {
            return SHARED.getTypeConverter();
        }

        @Override
        public TypeComparator getTypeComparator() {
            return SHARED.getTypeComparator();
        }

        @Override
        public OperatorOverloader getOperatorOverloader() {
            return SHARED.getOperatorOverloader();
        }
    }
}
