package dev.resilience.spring.interceptor;

import dev.resilience.keyed.NullKeyException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key expression: arguments by name and position, checked at parse time, the same answers once compiled. */
class KeyExpressionTest {

    record Request(String tenant, int region) {
        public String zone() {
            return tenant + "@" + region;
        }
    }

    @SuppressWarnings("unused")
    static String call(Request request, String user) {
        return user;
    }

    private static final Method CALL;

    static {
        try {
            CALL = KeyExpressionTest.class.getDeclaredMethod("call", Request.class, String.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static KeyExpression parse(String source) {
        return KeyExpression.parse(source, CALL, "@RateLimited(name = \"api\") on call");
    }

    @Test
    void readsArgumentsByNameAndByPosition() {
        Object[] arguments = {new Request("acme", 3), "bob"};

        assertThat(parse("#user").key(arguments)).isEqualTo("bob");
        assertThat(parse("#p1").key(arguments)).isEqualTo("bob");
        assertThat(parse("#a0.tenant()").key(arguments)).isEqualTo("acme");
        assertThat(parse("#request.tenant() + ':' + #user").key(arguments)).isEqualTo("acme:bob");
    }

    @Test
    void givesTheSameKeysOnceSpringHasCompiledIt() {
        KeyExpression expression = parse("#request.zone()");

        // MIXED mode compiles after its first evaluations; every answer must stay the same.
        for (int i = 0; i < 500; i++) {
            assertThat(expression.key(new Object[] {new Request("t" + i, i), "u"})).isEqualTo("t" + i + "@" + i);
        }
    }

    @Test
    void nullKeyIsANullKeyExceptionNamingTheExpression() {
        assertThatThrownBy(() -> parse("#user").key(new Object[] {new Request("acme", 1), null}))
                .isInstanceOf(NullKeyException.class)
                .hasMessageContaining("'#user'").hasMessageContaining("@RateLimited(name = \"api\") on call");
    }

    @Test
    void evaluationFailureNamesTheExpression() {
        assertThatThrownBy(() -> parse("#request.tenant()").key(new Object[] {null, "bob"}))
                .isInstanceOf(IllegalArgumentException.class).isNotInstanceOf(NullKeyException.class)
                .hasMessageContaining("'#request.tenant()'").hasMessageContaining("could not be evaluated");
    }

    @Test
    void unknownVariablesAndUnsupportedConstructsFailAtParseTime() {
        assertThatThrownBy(() -> parse("#tenant"))
                .hasMessageContaining("#tenant").hasMessageContaining("not among the method's arguments");
        assertThatThrownBy(() -> parse("T(java.lang.System).getenv('HOME')"))
                .hasMessageContaining("a type reference");
        assertThatThrownBy(() -> parse("@someBean.key()")).hasMessageContaining("a bean reference");
        assertThatThrownBy(() -> parse("new String('x')")).hasMessageContaining("a constructor");
        assertThatThrownBy(() -> parse("#user = 'x'")).hasMessageContaining("an assignment");
        assertThatThrownBy(() -> parse("#user +")).hasMessageContaining("cannot be parsed");
    }
}
