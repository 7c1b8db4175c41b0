package ca.cmp.hub.support;

import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Counts the SQL statements the hub sends, to prove that nested GraphQL fields are batched (no N+1). */
public class StatementCounter {

    private final AtomicInteger count = new AtomicInteger();

    public int count() {
        return count.get();
    }

    public void reset() {
        count.set(0);
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {

        @Bean
        StatementCounter statementCounter() {
            return new StatementCounter();
        }

        @Bean
        static BeanPostProcessor countingDataSource(org.springframework.beans.factory.ObjectProvider<StatementCounter> counter) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean instanceof DataSource dataSource && !(bean instanceof net.ttddyy.dsproxy.support.ProxyDataSource)) {
                        return ProxyDataSourceBuilder.create(dataSource)
                                .afterQuery((execution, queries) -> counter.getObject().count.addAndGet(queries.size()))
                                .build();
                    }
                    return bean;
                }
            };
        }
    }
}
